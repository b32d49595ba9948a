/* include/http.h — not written yet. */
#ifndef HTTP_H
#define HTTP_H
#endif

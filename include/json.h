/* include/json.h — not written yet. */
#ifndef JSON_H
#define JSON_H
#endif

/* include/auth.h — not written yet. */
#ifndef AUTH_H
#define AUTH_H
#endif

/* include/cache.h — not written yet. */
#ifndef CACHE_H
#define CACHE_H
#endif

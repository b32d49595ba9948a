/* include/compare.h — not written yet. */
#ifndef COMPARE_H
#define COMPARE_H
#endif

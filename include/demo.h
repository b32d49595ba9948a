/* include/demo.h — not written yet. */
#ifndef DEMO_H
#define DEMO_H
#endif

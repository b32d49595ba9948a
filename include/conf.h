/* include/conf.h — not written yet. */
#ifndef CONF_H
#define CONF_H
#endif

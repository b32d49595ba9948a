/* src/register.c — not written yet (placeholder so the tree builds). */
#include "config.h"

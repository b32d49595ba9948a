/* include/benchmark.h — not written yet. */
#ifndef BENCHMARK_H
#define BENCHMARK_H
#endif

/* A minimal pthread "parallel for": split [0, total) into `threads` contiguous ranges. */
#ifndef ZKM_THREADS_H
#define ZKM_THREADS_H
#include <stddef.h>

typedef void (*zkm_range_fn)(void *ctx, size_t begin, size_t end, int tid);

/* Runs fn(ctx, begin, end, tid) on each range (thread 0 on the calling thread).
 * threads <= 1 or total small runs inline.  Returns 0, or -1 if a thread failed to start
 * (the work is then done on the calling thread, so the result is still complete). */
int zkm_parallel_for(int threads, size_t total, zkm_range_fn fn, void *ctx);

/* Default thread count when the caller passes threads <= 0: online CPUs, at most 64. */
int zkm_default_threads(void);

#endif

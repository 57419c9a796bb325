#include "threads.h"

#include <pthread.h>
#include <unistd.h>

#define ZKM_MAX_THREADS 64

typedef struct {
    zkm_range_fn fn;
    void *ctx;
    size_t begin, end;
    int tid;
} zkm_job;

static void *zkm_job_run(void *arg) {
    zkm_job *j = (zkm_job *)arg;
    j->fn(j->ctx, j->begin, j->end, j->tid);
    return NULL;
}

int zkm_default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if (n > ZKM_MAX_THREADS) n = ZKM_MAX_THREADS;
    return (int)n;
}

int zkm_parallel_for(int threads, size_t total, zkm_range_fn fn, void *ctx) {
    if (threads <= 0) threads = zkm_default_threads();
    if (threads > ZKM_MAX_THREADS) threads = ZKM_MAX_THREADS;
    if ((size_t)threads > total) threads = (int)(total ? total : 1);
    if (threads <= 1) {
        fn(ctx, 0, total, 0);
        return 0;
    }
    zkm_job jobs[ZKM_MAX_THREADS];
    pthread_t tids[ZKM_MAX_THREADS];
    int started[ZKM_MAX_THREADS] = {0};
    int status = 0;
    for (int t = 0; t < threads; t++) {
        jobs[t].fn = fn;
        jobs[t].ctx = ctx;
        jobs[t].begin = total * (size_t)t / (size_t)threads;
        jobs[t].end = total * (size_t)(t + 1) / (size_t)threads;
        jobs[t].tid = t;
    }
    for (int t = 1; t < threads; t++)
        started[t] = pthread_create(&tids[t], NULL, zkm_job_run, &jobs[t]) == 0;
    zkm_job_run(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t]) {
            pthread_join(tids[t], NULL);
        } else {
            status = -1;
            zkm_job_run(&jobs[t]);
        }
    }
    return status;
}

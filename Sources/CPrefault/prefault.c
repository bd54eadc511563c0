#define _GNU_SOURCE
#include "CPrefault.h"
#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__)
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct range {
    uintptr_t start;
    uintptr_t end;
};

static void *populate(void *argument) {
    struct range range = *(struct range *)argument;
    free(argument);
    struct sched_param parameters = {0};
    // Only a core's idle time: the build's own threads always come first.
    if (sched_setscheduler(0, SCHED_IDLE, &parameters) != 0) return NULL;
    // A quarter of a megabyte at a time, so that the kernel's locks are held briefly by a thread that may then wait
    // long for a core.
    const uintptr_t step = 256 << 10;
    for (uintptr_t at = range.start; at < range.end; at += step) {
        uintptr_t length = range.end - at < step ? range.end - at : step;
        if (madvise((void *)at, length, MADV_POPULATE_WRITE) != 0) break;
    }
    return NULL;
}

int site_prefault(size_t bytes) {
    // Release builds link tcmalloc, which keeps a freed block for later allocations (its `malloc` is `tc_malloc`);
    // glibc's malloc (debug builds, AddressSanitizer) unmaps a block this large as soon as it is freed.
    void *allocator = dlsym(RTLD_DEFAULT, "tc_malloc");
    if (bytes < ((size_t)1 << 20) || allocator == NULL || dlsym(RTLD_DEFAULT, "malloc") != allocator) return 0;
    void *block = malloc(bytes);
    if (block == NULL) return 0;
    free(block);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct range *range = malloc(sizeof *range);
    if (range == NULL) return 0;
    range->start = ((uintptr_t)block + page - 1) & ~(page - 1);
    range->end = ((uintptr_t)block + bytes) & ~(page - 1);
    pthread_attr_t attributes;
    pthread_t thread;
    if (pthread_attr_init(&attributes) != 0) {
        free(range);
        return 0;
    }
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int started = pthread_create(&thread, &attributes, populate, range) == 0;
    pthread_attr_destroy(&attributes);
    if (!started) free(range);
    return started;
}
#else
int site_prefault(size_t bytes) {
    (void)bytes;
    return 0;
}
#endif

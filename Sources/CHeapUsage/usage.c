#define _GNU_SOURCE
#include "CHeapUsage.h"
#include <stdint.h>
#include <stdlib.h>
#include <dlfcn.h>

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif

typedef int (*mallctl_function)(const char *, void *, size_t *, void *, size_t);
typedef int (*property_function)(const char *, size_t *);

size_t heap_bytes_in_use(void) {
    // Release builds allocate with tcmalloc (gperftools): its own statistics.
    property_function property = (property_function)dlsym(RTLD_DEFAULT, "MallocExtension_GetNumericProperty");
    if (property) {
        size_t allocated = 0;
        if (property("generic.current_allocated_bytes", &allocated)) return allocated;
    }
    // jemalloc, when it is preloaded: its statistics, refreshed by advancing its epoch.
    mallctl_function mallctl = (mallctl_function)dlsym(RTLD_DEFAULT, "mallctl");
    if (mallctl) {
        uint64_t epoch = 1;
        size_t length = sizeof(epoch);
        mallctl("epoch", &epoch, &length, &epoch, length);
        size_t allocated = 0;
        length = sizeof(allocated);
        if (mallctl("stats.allocated", &allocated, &length, NULL, 0) == 0) return allocated;
    }
#ifdef HAVE_MALLINFO2
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}

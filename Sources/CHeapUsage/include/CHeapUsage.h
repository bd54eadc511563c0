#ifndef CHEAPUSAGE_H
#define CHEAPUSAGE_H

#include <stddef.h>

/// Bytes the allocator has handed out and not had back (jemalloc's statistics when it is the allocator, else glibc's
/// mallinfo2); 0 where that is not known.
size_t heap_bytes_in_use(void);

#endif

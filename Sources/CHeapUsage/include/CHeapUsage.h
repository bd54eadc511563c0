#ifndef CHEAPUSAGE_H
#define CHEAPUSAGE_H

#include <stddef.h>

/// Bytes the allocator has handed out and not had back (tcmalloc's or jemalloc's statistics when one is the allocator,
/// else glibc's mallinfo2); 0 where that is not known.
size_t heap_bytes_in_use(void);

#endif

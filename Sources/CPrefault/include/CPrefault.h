#ifndef CPREFAULT_H
#define CPREFAULT_H

#include <stddef.h>

/// Makes `bytes` of memory ready for the allocator to hand out, with the cores' spare time: a block of that size is
/// taken from the allocator and given back (it keeps it, to carve later allocations from), and a thread that runs only
/// when a core would otherwise be idle (SCHED_IDLE) asks the kernel to back it with pages, from its start on
/// (MADV_POPULATE_WRITE, which leaves the contents as they are: pages already in use are not touched). The build's
/// memory is then mostly faulted in while one core waits on the other, rather than page by page while both are busy.
///
/// Only when the allocator keeps what is given back (tcmalloc, which release builds use) and on Linux; returns 0,
/// doing nothing, otherwise (glibc's allocator gives a large block back to the kernel at once), and 1 when started.
/// The thread stops at the end of the block, or at the first range the kernel refuses.
int site_prefault(size_t bytes);

#endif

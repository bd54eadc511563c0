#ifndef CMARKARENA_H
#define CMARKARENA_H

#include <stddef.h>

/// One document's memory: cmark's nodes, strings and parser scratch space are cut from large chunks, and all of it is
/// given back at once when the document is done with (instead of a free for every node and string).
typedef struct site_arena site_arena;

/// The allocator to give cmark, for `cmark_parser_new_with_mem` and `cmark_node_new_with_mem` (a `cmark_mem *`,
/// untyped here so that this header need not include cmark's). It allocates from the calling thread's current arena
/// (`site_arena_enter`), or from the C heap when there is none. Every block records where it came from, so a block
/// is reallocated and freed correctly whichever arena is current; blocks of an arena are only truly released by
/// `site_arena_destroy`.
void *site_arena_allocator(void);

/// A new, empty arena (its first chunk is taken on the first allocation).
site_arena *site_arena_create(void);

/// Releases every block of the arena at once. Nothing allocated from it may be used afterwards.
void site_arena_destroy(site_arena *arena);

/// Makes `arena` (or the C heap, when NULL) the calling thread's current arena; returns the one current before,
/// for `site_arena_enter` to restore.
site_arena *site_arena_enter(site_arena *arena);

/// Frees a block `site_arena_allocator` handed out (what `cmark_render_html` returns for a node of such a tree).
void site_arena_free(void *pointer);

/// Blocks taken from the C heap and not yet freed (allocations made with no current arena): for tests.
long site_arena_heap_blocks(void);

/// Bytes handed out by the arena so far (its blocks' sizes, headers included): for tests and measurements.
size_t site_arena_bytes(const site_arena *arena);

#endif

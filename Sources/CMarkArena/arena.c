#include "CMarkArena.h"

#include <cmark.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Under AddressSanitizer every block is its own malloc (kept on the arena's list until freed or the arena goes), so
// that the sanitizer still sees overruns and uses after free inside cmark's trees.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SITE_ARENA_CHECKED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SITE_ARENA_CHECKED)
#define SITE_ARENA_CHECKED 1
#endif

/// Precedes every block: its usable size and its arena (NULL for a block of the C heap). 16-byte aligned, as malloc's
/// blocks are.
typedef struct block_header {
  size_t size;
  site_arena *owner;
#ifdef SITE_ARENA_CHECKED
  struct block_header *previous;
  struct block_header *next;
#endif
} __attribute__((aligned(16))) block_header;

/// A run of memory blocks are cut from; chunks of one arena are listed from the newest.
typedef struct chunk {
  struct chunk *next;
  size_t capacity;
} __attribute__((aligned(16))) chunk;

struct site_arena {
  /// Where the next block starts, and the end of the current chunk.
  char *cursor;
  char *limit;
  /// The most recent block, while it ends at `cursor`: it can grow in place, or be given back when freed (cmark
  /// frees much of its scratch memory in the order it took it).
  block_header *last;
  chunk *chunks;
  size_t next_capacity;
  size_t bytes;
#ifdef SITE_ARENA_CHECKED
  block_header *blocks;
#endif
};

enum { first_chunk = 32 * 1024, largest_chunk = 1024 * 1024 };

static _Thread_local site_arena *current_arena;
static _Thread_local long heap_blocks;

static void out_of_memory(void) {
  fprintf(stderr, "build-site: out of memory in the Markdown parser\n");
  abort();
}

/// `size` rounded up to a multiple of 16, refusing sizes near the end of the address space.
static size_t rounded(size_t size) {
  if (size > SIZE_MAX - 2 * sizeof(block_header) - 64 * 1024) out_of_memory();
  return (size + 15) & ~(size_t)15;
}

static block_header *header_of(void *pointer) { return (block_header *)pointer - 1; }

// MARK: blocks of the C heap (no current arena)

static void *heap_take(size_t size, int zeroed) {
  size_t total = sizeof(block_header) + rounded(size);
  block_header *header = zeroed ? calloc(1, total) : malloc(total);
  if (!header) out_of_memory();
  header->size = rounded(size);
  header->owner = NULL;
  heap_blocks += 1;
  return header + 1;
}

static void heap_free(block_header *header) {
  heap_blocks -= 1;
  free(header);
}

// MARK: blocks of an arena

#ifdef SITE_ARENA_CHECKED

static void *arena_take(site_arena *arena, size_t size) {
  size_t total = sizeof(block_header) + rounded(size);
  block_header *header = malloc(total);
  if (!header) out_of_memory();
  header->size = rounded(size);
  header->owner = arena;
  header->previous = NULL;
  header->next = arena->blocks;
  if (arena->blocks) arena->blocks->previous = header;
  arena->blocks = header;
  arena->bytes += total;
  return header + 1;
}

static void arena_release(site_arena *arena, block_header *header) {
  if (header->previous) header->previous->next = header->next;
  else arena->blocks = header->next;
  if (header->next) header->next->previous = header->previous;
  free(header);
}

static void *arena_resize(site_arena *arena, block_header *header, size_t size) {
  void *moved = arena_take(arena, size);
  memcpy(moved, header + 1, header->size < size ? header->size : size);
  arena_release(arena, header);
  return moved;
}

static void arena_release_all(site_arena *arena) {
  block_header *header = arena->blocks;
  while (header) {
    block_header *next = header->next;
    free(header);
    header = next;
  }
}

#else

static void arena_grow(site_arena *arena, size_t needed) {
  size_t capacity = arena->next_capacity;
  if (arena->next_capacity < largest_chunk) arena->next_capacity *= 2;
  if (capacity < needed + sizeof(chunk)) capacity = needed + sizeof(chunk);
  chunk *fresh = malloc(capacity);
  if (!fresh) out_of_memory();
  fresh->next = arena->chunks;
  fresh->capacity = capacity;
  arena->chunks = fresh;
  arena->cursor = (char *)(fresh + 1);
  arena->limit = (char *)fresh + capacity;
  arena->last = NULL;
}

static void *arena_take(site_arena *arena, size_t size) {
  size_t total = sizeof(block_header) + rounded(size);
  if ((size_t)(arena->limit - arena->cursor) < total) arena_grow(arena, total);
  block_header *header = (block_header *)arena->cursor;
  arena->cursor += total;
  header->size = rounded(size);
  header->owner = arena;
  arena->last = header;
  arena->bytes += total;
  return header + 1;
}

static void arena_release(site_arena *arena, block_header *header) {
  if (header == arena->last) {
    arena->cursor = (char *)header;
    arena->bytes -= sizeof(block_header) + header->size;
    arena->last = NULL;
  }
}

static void *arena_resize(site_arena *arena, block_header *header, size_t size) {
  if (size <= header->size) return header + 1;
  size_t extra = rounded(size) - header->size;
  if (header == arena->last && (size_t)(arena->limit - arena->cursor) >= extra) {
    arena->cursor += extra;
    arena->bytes += extra;
    header->size += extra;
    return header + 1;
  }
  void *moved = arena_take(arena, size);
  memcpy(moved, header + 1, header->size);
  return moved;
}

static void arena_release_all(site_arena *arena) {
  chunk *at = arena->chunks;
  while (at) {
    chunk *next = at->next;
    free(at);
    at = next;
  }
}

#endif

// MARK: the allocator cmark calls

static void *site_calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) out_of_memory();
  size_t total = count * size;
  site_arena *arena = current_arena;
  if (!arena) return heap_take(total, 1);
  void *block = arena_take(arena, total);
  memset(block, 0, total);
  return block;
}

static void *site_realloc(void *pointer, size_t size) {
  if (!pointer) {
    site_arena *arena = current_arena;
    return arena ? arena_take(arena, size) : heap_take(size, 0);
  }
  block_header *header = header_of(pointer);
  if (header->owner) return arena_resize(header->owner, header, size);
  size_t total = sizeof(block_header) + rounded(size);
  block_header *moved = realloc(header, total);
  if (!moved) out_of_memory();
  moved->size = rounded(size);
  return moved + 1;
}

void site_arena_free(void *pointer) {
  if (!pointer) return;
  block_header *header = header_of(pointer);
  if (header->owner) arena_release(header->owner, header);
  else heap_free(header);
}

static cmark_mem site_allocator = {site_calloc, site_realloc, site_arena_free};

void *site_arena_allocator(void) { return &site_allocator; }

site_arena *site_arena_create(void) {
  site_arena *arena = calloc(1, sizeof(site_arena));
  if (!arena) out_of_memory();
  arena->next_capacity = first_chunk;
  return arena;
}

void site_arena_destroy(site_arena *arena) {
  if (!arena) return;
  if (current_arena == arena) current_arena = NULL;
  arena_release_all(arena);
  free(arena);
}

site_arena *site_arena_enter(site_arena *arena) {
  site_arena *previous = current_arena;
  current_arena = arena;
  return previous;
}

long site_arena_heap_blocks(void) { return heap_blocks; }

size_t site_arena_bytes(const site_arena *arena) { return arena ? arena->bytes : 0; }

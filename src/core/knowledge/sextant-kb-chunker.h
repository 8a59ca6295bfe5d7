#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SEXTANT_KB_CHUNK_TOKENS_DEFAULT  300
#define SEXTANT_KB_CHUNK_OVERLAP_DEFAULT 0.15
/* Titan and Cohere tokenizers average about four characters of English per token. */
#define SEXTANT_KB_CHARS_PER_TOKEN       4

/**
 * SextantKbChunkOptions:
 * @max_tokens: the largest chunk, in estimated tokens (16 to 8,000)
 * @overlap: the share of a chunk repeated at the start of the next (0 to 0.5)
 */
typedef struct
{
  guint  max_tokens;
  double overlap;
} SextantKbChunkOptions;

/**
 * SextantKbSpan:
 * @start: the first byte of the chunk in the page's text
 * @end: the byte after its last
 * @char_start: @start counted in characters, as a citation shows it
 * @char_end: @end counted in characters
 */
typedef struct
{
  gsize start;
  gsize end;
  gsize char_start;
  gsize char_end;
} SextantKbSpan;

void     sextant_kb_chunk_options_init (SextantKbChunkOptions        *options);
gboolean sextant_kb_chunk_options_check (const SextantKbChunkOptions *options,
                                         GError                     **error);
GArray  *sextant_kb_chunk_text         (const char                   *text,
                                        const SextantKbChunkOptions  *options);

G_END_DECLS

#pragma once

#include <gio/gio.h>

#include "bedrock/sextant-bedrock-client.h"
#include "knowledge/sextant-kb-store.h"

G_BEGIN_DECLS

#define SEXTANT_TYPE_KB_INDEXER (sextant_kb_indexer_get_type ())

G_DECLARE_FINAL_TYPE (SextantKbIndexer, sextant_kb_indexer, SEXTANT, KB_INDEXER, GObject)

/**
 * SextantKbFileReport:
 * @path: the file
 * @outcome: what was done, when @error is %NULL
 * @error: (nullable): why the file was skipped (names the file, and the page of a PDF)
 * @note: (nullable): what of an indexed file was left out (PDF pages without text)
 */
typedef struct
{
  char                *path;
  SextantKbAddOutcome  outcome;
  char                *error;
  char                *note;
} SextantKbFileReport;

/**
 * SextantKbReport:
 * @files: (element-type SextantKbFileReport): each file skipped, or indexed with a note, in
 *   order (the others are counted only, so a report does not grow with the folder)
 * @n_indexed: files new or changed and indexed now
 * @n_unchanged: files already indexed as they are
 * @n_failed: files skipped, each with its reason
 * @n_embedded: chunks embedded in this run
 * @embedding_error: (nullable): why embedding stopped early; the chunks without a vector are
 *   still found by keyword, and the next run embeds them
 * @max_chunks_held: the most chunks this run held in memory at once to embed them (a page:
 *   chunks are read from the store a page at a time, whatever their number)
 */
typedef struct
{
  GPtrArray *files;
  guint      n_indexed;
  guint      n_unchanged;
  guint      n_failed;
  guint      n_embedded;
  char      *embedding_error;
  guint      max_chunks_held;
} SextantKbReport;

void              sextant_kb_report_free            (SextantKbReport             *report);

SextantKbIndexer *sextant_kb_indexer_new            (SextantKbStore              *kb);
void              sextant_kb_indexer_set_chunk_options (SextantKbIndexer         *self,
                                                     const SextantKbChunkOptions *options);
void              sextant_kb_indexer_set_embedder   (SextantKbIndexer            *self,
                                                     SextantBedrockClient        *client,
                                                     const char                  *model,
                                                     guint                        dims);
void              sextant_kb_indexer_add_async      (SextantKbIndexer            *self,
                                                     const char * const          *paths,
                                                     GCancellable                *cancellable,
                                                     GAsyncReadyCallback          callback,
                                                     gpointer                     user_data);
SextantKbReport  *sextant_kb_indexer_add_finish     (SextantKbIndexer            *self,
                                                     GAsyncResult                *result,
                                                     GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantKbReport, sextant_kb_report_free)

G_END_DECLS

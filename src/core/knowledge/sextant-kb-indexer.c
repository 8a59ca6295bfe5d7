#define G_LOG_DOMAIN "sextant-kb-indexer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bedrock/sextant-bedrock-embeddings.h"
#include "knowledge/sextant-kb-error.h"
#include "knowledge/sextant-kb-indexer.h"
#include "knowledge/sextant-kb-text.h"

/* Adding documents: files are read, chunked and indexed in a worker thread on a connection of
 * its own (a 300-page PDF takes seconds, and no window may wait for it), one transaction per
 * file; progress comes back to the caller's main context as the "progress" signal. Then the new
 * chunks are embedded, one Titan request at a time (or 96 chunks to a Cohere request) on the
 * caller's context (the client's retries and retry budget pace them). Embedding resumes where it stopped: it asks the store for the
 * chunks without a vector of the model, so a run cut by throttling or cancelled leaves nothing
 * to duplicate, and a document removed meanwhile takes no vector. */

struct _SextantKbIndexer
{
  GObject                parent_instance;
  SextantKbStore        *kb;
  SextantKbChunkOptions  options;
  SextantBedrockClient  *client;
  char                  *model;
  guint                  dims;
};

G_DEFINE_FINAL_TYPE (SextantKbIndexer, sextant_kb_indexer, G_TYPE_OBJECT)

enum { PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

/* Chunks to embed are read a page at a time (a Cohere request's worth), and files are
 * committed a batch at a time: indexing a folder holds one document and one page of chunks
 * whatever the folder's size, and a folder of many small files is not a transaction each. */
#define EMBED_PAGE SEXTANT_COHERE_MAX_TEXTS
#define BATCH_BYTES (4 * 1024 * 1024)
#define BATCH_FILES 64

typedef struct
{
  char            **paths;
  SextantKbReport  *report;
  GMainContext     *context;
  GPtrArray        *pending;   /* SextantKbPassage: the page of chunks being embedded */
  guint             next;      /* in pending */
  gint64            after;     /* the last chunk id of the pages read */
  guint             done;      /* chunks embedded or gone, over all pages */
  guint             total;
  GCancellable     *cancellable;
} AddJob;

typedef struct
{
  SextantKbIndexer *indexer;
  char             *phase;
  char             *path;
  guint             done;
  guint             total;
} Progress;

static void
file_report_free (SextantKbFileReport *file)
{
  g_free (file->path);
  g_free (file->error);
  g_free (file->note);
  g_free (file);
}

void
sextant_kb_report_free (SextantKbReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->files, g_ptr_array_unref);
  g_free (report->embedding_error);
  g_free (report);
}

static void
add_job_free (AddJob *job)
{
  g_strfreev (job->paths);
  sextant_kb_report_free (job->report);
  g_main_context_unref (job->context);
  g_clear_pointer (&job->pending, g_ptr_array_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
sextant_kb_indexer_finalize (GObject *object)
{
  SextantKbIndexer *self = SEXTANT_KB_INDEXER (object);

  g_clear_object (&self->kb);
  g_clear_object (&self->client);
  g_free (self->model);

  G_OBJECT_CLASS (sextant_kb_indexer_parent_class)->finalize (object);
}

static void
sextant_kb_indexer_class_init (SextantKbIndexerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_kb_indexer_finalize;

  /**
   * SextantKbIndexer::progress:
   * @phase: "reading" (files) or "embedding" (chunks)
   * @path: (nullable): the file being read
   * @done: items finished in this phase
   * @total: items in this phase
   *
   * Emitted on the main context that started the work.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT,
                                    G_TYPE_UINT);
}

static void
sextant_kb_indexer_init (SextantKbIndexer *self)
{
  sextant_kb_chunk_options_init (&self->options);
  self->model = g_strdup (SEXTANT_TITAN_EMBED_V2);
  self->dims = 1024;
}

/**
 * sextant_kb_indexer_new:
 * @kb: the knowledge base to add to
 *
 * Returns: (transfer full): an indexer without embedder (keyword search only)
 */
SextantKbIndexer *
sextant_kb_indexer_new (SextantKbStore *kb)
{
  SextantKbIndexer *self;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (kb), NULL);

  self = g_object_new (SEXTANT_TYPE_KB_INDEXER, NULL);
  self->kb = g_object_ref (kb);

  return self;
}

void
sextant_kb_indexer_set_chunk_options (SextantKbIndexer            *self,
                                      const SextantKbChunkOptions *options)
{
  g_return_if_fail (SEXTANT_IS_KB_INDEXER (self));

  self->options = *options;
}

/**
 * sextant_kb_indexer_set_embedder:
 * @self: an indexer
 * @client: (nullable): the Bedrock client, %NULL for keyword search only
 * @model: (nullable): the embedding model, %NULL for Titan Text Embeddings V2; Cohere Embed v4
 *   (%SEXTANT_COHERE_EMBED_V4) takes 96 chunks a request
 * @dims: 256, 512 or 1024 (Cohere also 1536)
 */
void
sextant_kb_indexer_set_embedder (SextantKbIndexer     *self,
                                 SextantBedrockClient *client,
                                 const char           *model,
                                 guint                 dims)
{
  g_return_if_fail (SEXTANT_IS_KB_INDEXER (self));

  g_set_object (&self->client, client);
  g_free (self->model);
  self->model = g_strdup (model != NULL ? model : SEXTANT_TITAN_EMBED_V2);
  self->dims = dims;
}

static gboolean
emit_progress_cb (gpointer data)
{
  Progress *progress = data;

  g_signal_emit (progress->indexer, signals[PROGRESS], 0, progress->phase, progress->path, progress->done,
                 progress->total);

  return G_SOURCE_REMOVE;
}

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->indexer);
  g_free (progress->phase);
  g_free (progress->path);
  g_free (progress);
}

static void
report_progress (SextantKbIndexer *self,
                 GMainContext     *context,
                 const char       *phase,
                 const char       *path,
                 guint             done,
                 guint             total)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->indexer = g_object_ref (self);
  progress->phase = g_strdup (phase);
  progress->path = g_strdup (path);
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, emit_progress_cb, progress, progress_free);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Files of a folder and its subfolders that Sextant reads, in name order; hidden ones are left
 * out. A file named on its own is kept whatever its kind, so that the report says why it was
 * skipped. */
static void
collect_files (const char *path,
               gboolean    named,
               GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  SextantKbFormat format;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (named || sextant_kb_format_from_path (path, &format))
        g_ptr_array_add (files, g_strdup (path));
      return;
    }
  if ((dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    collect_files (names->pdata[i], FALSE, files);
}

/* The documents of a batch appear together: each whole (sextant_kb_store_add_file() keeps a
 * failed one out), none half-written. */
static gboolean
commit_batch (SextantKbStore  *kb,
              guint           *batch_files,
              gsize           *batch_bytes,
              GError         **error)
{
  SextantStore *store = sextant_kb_store_get_store (kb);

  *batch_files = 0;
  *batch_bytes = 0;
  if (sqlite3_get_autocommit (sextant_store_get_db (store)))
    return TRUE;
  if (sextant_store_commit (store, error))
    return TRUE;
  sextant_store_rollback (store);

  return FALSE;
}

static void
add_one_file (SextantKbIndexer    *self,
              SextantKbStore      *kb,
              SextantKbFileReport *file,
              GCancellable        *cancellable,
              GError             **error)
{
  if (!g_file_test (file->path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_READ, _("%s: no such file or folder"), file->path);
      return;
    }
  sextant_kb_store_add_file (kb, file->path, &self->options, cancellable, &file->outcome, &file->note, error);
}

static void
index_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SextantKbIndexer *self = source_object;
  AddJob *job = task_data;
  SextantStore *main_store = sextant_kb_store_get_store (self->kb);
  g_autoptr(SextantStore) connection = NULL;
  g_autoptr(SextantKbStore) kb = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  guint batch_files = 0;
  gsize batch_bytes = 0;

  /* A database file gets a connection for this thread, so the windows keep reading meanwhile;
   * one in memory (tests) has only its own. */
  if (sextant_store_is_file (main_store))
    {
      if ((connection = sextant_store_open_connection (main_store, &error)) == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      kb = sextant_kb_store_new (connection);
    }
  else
    kb = g_object_ref (self->kb);
  sextant_kb_store_set_batch_commits (kb, TRUE);
  for (guint i = 0; job->paths[i] != NULL; i++)
    collect_files (job->paths[i], TRUE, files);
  for (guint i = 0; i < files->len; i++)
    {
      SextantKbFileReport *file = g_new0 (SextantKbFileReport, 1);
      g_autoptr(GError) file_error = NULL;
      GStatBuf info;

      report_progress (self, job->context, "reading", files->pdata[i], i, files->len);
      file->path = g_strdup (files->pdata[i]);
      if (!g_cancellable_set_error_if_cancelled (cancellable, &file_error))
        add_one_file (self, kb, file, cancellable, &file_error);
      if (g_error_matches (file_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* The documents finished before the cancel are kept. */
          file_report_free (file);
          sextant_kb_store_set_batch_commits (kb, FALSE);
          if (!commit_batch (kb, &batch_files, &batch_bytes, &error))
            g_task_return_error (task, error);
          else
            g_task_return_error (task, g_steal_pointer (&file_error));
          return;
        }
      if (file_error != NULL)
        {
          file->error = g_strdup (file_error->message);
          job->report->n_failed++;
        }
      else if (file->outcome == SEXTANT_KB_ADD_UNCHANGED)
        job->report->n_unchanged++;
      else
        {
          job->report->n_indexed++;
          batch_files++;
          batch_bytes += g_stat (file->path, &info) == 0 ? (gsize) info.st_size : 0;
        }
      /* Only what the user must be told is kept: the report does not grow with the folder. */
      if (file->error != NULL || file->note != NULL)
        g_ptr_array_add (job->report->files, file);
      else
        file_report_free (file);
      if ((batch_files >= BATCH_FILES || batch_bytes >= BATCH_BYTES) &&
          !commit_batch (kb, &batch_files, &batch_bytes, &error))
        {
          sextant_kb_store_set_batch_commits (kb, FALSE);
          g_task_return_error (task, error);
          return;
        }
    }
  sextant_kb_store_set_batch_commits (kb, FALSE);
  if (!commit_batch (kb, &batch_files, &batch_bytes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  report_progress (self, job->context, "reading", NULL, files->len, files->len);
  g_task_return_boolean (task, TRUE);
}

static void embed_next (GTask *task);

static void
embed_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantKbIndexer *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  SextantKbPassage *chunk = job->pending->pdata[job->next];
  g_autoptr(GArray) vector = NULL;
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;

  vector = sextant_bedrock_client_embed_finish (SEXTANT_BEDROCK_CLIENT (object), result, NULL, &error);
  if (vector != NULL && vector->len != self->dims)
    g_set_error (&error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                 _("The embedding model returned %u dimensions, not %u"), vector->len, self->dims);
  if (error == NULL)
    sextant_kb_store_put_vector (self->kb, chunk->chunk_id, self->model, self->dims,
                                 (const float *) (gpointer) vector->data, &stored, &error);
  if (error != NULL)
    {
      /* The chunks are indexed for keyword search already; the next run embeds the rest. */
      job->report->embedding_error = g_strdup (error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (stored)
    job->report->n_embedded++;
  job->next++;
  job->done++;
  embed_next (g_steal_pointer (&task));
}

static void
embed_batch_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantKbIndexer *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  g_autoptr(GPtrArray) vectors = NULL;
  g_autoptr(GError) error = NULL;

  vectors = sextant_bedrock_client_embed_batch_finish (SEXTANT_BEDROCK_CLIENT (object), result, &error);
  for (guint i = 0; vectors != NULL && i < vectors->len && error == NULL; i++)
    {
      SextantKbPassage *chunk = job->pending->pdata[job->next + i];
      GArray *vector = vectors->pdata[i];
      gboolean stored = FALSE;

      if (vector->len != self->dims)
        g_set_error (&error, SEXTANT_KB_ERROR, SEXTANT_KB_ERROR_INVALID,
                     _("The embedding model returned %u dimensions, not %u"), vector->len, self->dims);
      else if (sextant_kb_store_put_vector (self->kb, chunk->chunk_id, self->model, self->dims,
                                            (const float *) (gpointer) vector->data, &stored, &error) && stored)
        job->report->n_embedded++;
    }
  if (error != NULL)
    {
      job->report->embedding_error = g_strdup (error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  job->next += vectors->len;
  job->done += vectors->len;
  embed_next (g_steal_pointer (&task));
}

/* Cohere takes the chunks 96 at a time (a page). */
static void
embed_next_batch (GTask *task)
{
  SextantKbIndexer *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  guint n = MIN (SEXTANT_COHERE_MAX_TEXTS, job->pending->len - job->next);
  g_autofree const char **texts = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    texts[i] = ((SextantKbPassage *) job->pending->pdata[job->next + i])->text;
  sextant_bedrock_client_embed_batch_async (self->client, self->model, texts, n, "search_document", self->dims,
                                            job->cancellable, embed_batch_cb, task);
}

/* The next page of chunks without a vector; an empty one once none is left. */
static gboolean
read_page (SextantKbIndexer  *self,
           AddJob            *job,
           GError           **error)
{
  g_clear_pointer (&job->pending, g_ptr_array_unref);
  job->next = 0;
  job->pending = sextant_kb_store_list_unembedded_after (self->kb, self->model, self->dims, job->after, EMBED_PAGE,
                                                         error);
  if (job->pending == NULL)
    return FALSE;
  if (job->pending->len > 0)
    job->after = ((SextantKbPassage *) job->pending->pdata[job->pending->len - 1])->chunk_id;
  job->report->max_chunks_held = MAX (job->report->max_chunks_held, job->pending->len);

  return TRUE;
}

static void
embed_next (GTask *task)
{
  SextantKbIndexer *self = g_task_get_source_object (task);
  AddJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  SextantKbPassage *chunk;

  /* @task is owned here: handed to the next request, or returned and released. */
  if (job->next >= job->pending->len && !g_cancellable_is_cancelled (job->cancellable) &&
      !read_page (self, job, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  /* Chunks of a document removed meanwhile are not met again: the count ends at the total. */
  report_progress (self, job->context, "embedding", NULL, job->pending->len > 0 ? job->done : job->total, job->total);
  if (job->pending->len == 0 || g_cancellable_is_cancelled (job->cancellable))
    {
      if (job->pending->len > 0)
        job->report->embedding_error = g_strdup (_("Embedding was cancelled"));
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (sextant_embedding_model_is_cohere (self->model))
    {
      embed_next_batch (task);
      return;
    }
  chunk = job->pending->pdata[job->next];
  sextant_bedrock_client_embed_async (self->client, self->model, chunk->text, self->dims, job->cancellable,
                                      embed_cb, task);
}

static void
index_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SextantKbIndexer *self = SEXTANT_KB_INDEXER (object);
  AddJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 total;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->client == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if ((total = sextant_kb_store_count_unembedded (self->kb, self->model, self->dims, &error)) < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  job->total = (guint) MIN (total, G_MAXUINT);
  job->pending = g_ptr_array_new ();
  embed_next (g_steal_pointer (&task));
}

/**
 * sextant_kb_indexer_add_async:
 * @self: an indexer
 * @paths: (array zero-terminated=1): files and folders (read with their subfolders)
 * @cancellable: (nullable): stops reading between files and embedding between chunks
 * @callback: called on this thread's main context with the report
 * @user_data: data for @callback
 *
 * Indexes the files in a worker, then embeds every chunk without a vector of the embedder's
 * model and dimension (the new ones, or all after a change of model), emitting
 * #SextantKbIndexer::progress on the way.
 */
void
sextant_kb_indexer_add_async (SextantKbIndexer    *self,
                              const char * const  *paths,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  AddJob *job;

  g_return_if_fail (SEXTANT_IS_KB_INDEXER (self));
  g_return_if_fail (paths != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_kb_indexer_add_async);
  job = g_new0 (AddJob, 1);
  job->paths = g_strdupv ((char **) paths);
  job->report = g_new0 (SextantKbReport, 1);
  job->report->files = g_ptr_array_new_with_free_func ((GDestroyNotify) file_report_free);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) add_job_free);
  /* The worker reports to its own task; the outer one lives on for the embedding. */
  worker = g_task_new (self, cancellable, index_done_cb, g_steal_pointer (&task));
  g_task_set_task_data (worker, job, NULL);
  g_task_run_in_thread (worker, index_thread);
}

/**
 * sextant_kb_indexer_add_finish:
 *
 * Returns: (transfer full): what happened to each file, or %NULL (cancelled, or the database
 *   failed)
 */
SextantKbReport *
sextant_kb_indexer_add_finish (SextantKbIndexer  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  AddJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));

  return g_steal_pointer (&job->report);
}

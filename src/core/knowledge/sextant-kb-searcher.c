#define G_LOG_DOMAIN "sextant-kb-searcher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bedrock/sextant-bedrock-embeddings.h"
#include "knowledge/sextant-kb-searcher.h"

/* A search as the CLI, the windows and the assistant's tool ask for it: the question is embedded
 * with the model the chunks were embedded with, then searched hybrid; with no client, no vector
 * of that model in the store, or an embedding request that fails, it is bm25() alone, and the
 * results say so. It blocks: the assistant's tool calls it from a worker thread. */

struct _SextantKbSearcher
{
  GObject               parent_instance;
  SextantKbStore       *kb;
  SextantBedrockClient *client;
  char                 *model;
  guint                 dims;
};

G_DEFINE_FINAL_TYPE (SextantKbSearcher, sextant_kb_searcher, G_TYPE_OBJECT)

typedef struct
{
  gboolean  done;
  GArray   *vector;
  GError   *error;
} EmbedWait;

void
sextant_kb_results_free (SextantKbResults *results)
{
  if (results == NULL)
    return;
  g_clear_pointer (&results->passages, g_ptr_array_unref);
  g_free (results->offline_reason);
  g_free (results);
}

static void
sextant_kb_searcher_finalize (GObject *object)
{
  SextantKbSearcher *self = SEXTANT_KB_SEARCHER (object);

  g_clear_object (&self->kb);
  g_clear_object (&self->client);
  g_free (self->model);

  G_OBJECT_CLASS (sextant_kb_searcher_parent_class)->finalize (object);
}

static void
sextant_kb_searcher_class_init (SextantKbSearcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_kb_searcher_finalize;
}

static void
sextant_kb_searcher_init (SextantKbSearcher *self)
{
}

/**
 * sextant_kb_searcher_new:
 * @kb: the knowledge base
 * @client: (nullable): a Bedrock client for the query's embedding, %NULL for keyword search only
 * @model: (nullable): the embedding model, %NULL for Titan Text Embeddings V2
 * @dims: its dimension
 *
 * Returns: (transfer full): a searcher
 */
SextantKbSearcher *
sextant_kb_searcher_new (SextantKbStore       *kb,
                         SextantBedrockClient *client,
                         const char           *model,
                         guint                 dims)
{
  SextantKbSearcher *self;

  g_return_val_if_fail (SEXTANT_IS_KB_STORE (kb), NULL);

  self = g_object_new (SEXTANT_TYPE_KB_SEARCHER, NULL);
  self->kb = g_object_ref (kb);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  self->model = g_strdup (model != NULL ? model : SEXTANT_TITAN_EMBED_V2);
  self->dims = dims;

  return self;
}

/**
 * sextant_kb_searcher_get_store:
 *
 * Returns: (transfer none): the knowledge base searched
 */
SextantKbStore *
sextant_kb_searcher_get_store (SextantKbSearcher *self)
{
  g_return_val_if_fail (SEXTANT_IS_KB_SEARCHER (self), NULL);

  return self->kb;
}

static void
embed_batch_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  EmbedWait *wait = user_data;
  g_autoptr(GPtrArray) vectors = sextant_bedrock_client_embed_batch_finish (SEXTANT_BEDROCK_CLIENT (object), result,
                                                                           &wait->error);

  if (vectors != NULL)
    wait->vector = g_array_ref (vectors->pdata[0]);
  wait->done = TRUE;
}

static void
embed_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  EmbedWait *wait = user_data;

  wait->vector = sextant_bedrock_client_embed_finish (SEXTANT_BEDROCK_CLIENT (object), result, NULL, &wait->error);
  wait->done = TRUE;
}

/* The request runs on this thread's context when the thread may run it (a command-line search,
 * a test serving its fake Bedrock on it), else on a context of this call's own: libsoup (3.2 and
 * later) sends from any thread that has a thread-default context, and a tool's worker thread
 * must not run the window's main context. */
static GArray *
embed_query (SextantKbSearcher  *self,
             const char         *text,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  EmbedWait wait = { FALSE, NULL, NULL };
  gboolean own = g_main_context_acquire (context);

  if (!own)
    {
      g_main_context_unref (context);
      context = g_main_context_new ();
      g_main_context_push_thread_default (context);
    }
  if (sextant_embedding_model_is_cohere (self->model))
    {
      const char *texts[] = { text, NULL };

      /* Cohere embeds a question differently from the passages it should find. */
      sextant_bedrock_client_embed_batch_async (self->client, self->model, texts, 1, "search_query", self->dims,
                                                cancellable, embed_batch_done_cb, &wait);
    }
  else
    sextant_bedrock_client_embed_async (self->client, self->model, text, self->dims, cancellable, embed_done_cb,
                                        &wait);
  while (!wait.done)
    g_main_context_iteration (context, TRUE);
  if (own)
    g_main_context_release (context);
  else
    g_main_context_pop_thread_default (context);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);

  return wait.vector;
}

/**
 * sextant_kb_searcher_search:
 * @self: a searcher
 * @text: the question
 * @document_id: only this document's chunks, 0 for all
 * @top_k: how many passages, 0 for 5
 * @offline: bm25() only, even with a client
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error (no words in @text, the database)
 *
 * May be called from any thread; it waits for the query's embedding.
 *
 * Returns: (transfer full): the passages and how they were found
 */
SextantKbResults *
sextant_kb_searcher_search (SextantKbSearcher  *self,
                            const char         *text,
                            gint64              document_id,
                            guint               top_k,
                            gboolean            offline,
                            GCancellable       *cancellable,
                            GError            **error)
{
  return sextant_kb_searcher_search_tagged (self, text, document_id, NULL, top_k, offline, cancellable, error);
}

/**
 * sextant_kb_searcher_search_tagged:
 * @self: a searcher
 * @text: the question
 * @document_id: only this document's chunks, 0 for all
 * @tag: (nullable): only the chunks of documents carrying this tag, %NULL for all
 * @top_k: how many passages, 0 for 5
 * @offline: bm25() only, even with a client
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error (no words in @text, a tag no document carries, the
 *   database)
 *
 * As sextant_kb_searcher_search(), limited to the documents carrying @tag.
 *
 * Returns: (transfer full): the passages and how they were found
 */
SextantKbResults *
sextant_kb_searcher_search_tagged (SextantKbSearcher  *self,
                                   const char         *text,
                                   gint64              document_id,
                                   const char         *tag,
                                   guint               top_k,
                                   gboolean            offline,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autoptr(SextantKbResults) results = g_new0 (SextantKbResults, 1);
  g_autoptr(GArray) vector = NULL;
  SextantKbQuery query = { text, NULL, self->model, self->dims, document_id, top_k, tag };

  g_return_val_if_fail (SEXTANT_IS_KB_SEARCHER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->client == NULL && !offline)
    results->offline_reason = g_strdup (_("No AWS account is set up: keyword search only"));
  else if (!offline && sextant_kb_store_count_vectors (self->kb, self->model, self->dims, NULL) <= 0)
    results->offline_reason = g_strdup_printf (_("No passage is embedded with %s (%u dimensions) yet: keyword search only"),
                                               self->model, self->dims);
  else if (!offline)
    {
      g_autoptr(GError) embed_error = NULL;

      vector = embed_query (self, text, cancellable, &embed_error);
      if (vector != NULL && vector->len == self->dims)
        query.vector = (const float *) (gpointer) vector->data;
      else
        results->offline_reason = g_strdup_printf (_("The question could not be embedded (%s): keyword search only"),
                                                   embed_error != NULL ? embed_error->message : _("wrong dimension"));
    }
  if ((results->passages = sextant_kb_store_search (self->kb, &query, error)) == NULL)
    return NULL;
  results->hybrid = query.vector != NULL;

  return g_steal_pointer (&results);
}

#define G_LOG_DOMAIN "sextant-price-fetch"

#include "config.h"

#include "sextant-price-fetch.h"

/* Fetching prices through the market router of the user's providers, for the portfolio window
 * and the risk dashboard alike: in a worker thread on its own main context (the keyring lookup
 * is synchronous), with its own connection to the workspace's database (the market cache writes
 * in transactions, which on the shared connection would swallow whatever the main thread writes
 * meanwhile; WAL lets both work at once). The worker reports each symbol under a mutex; the main
 * thread reads that every 100 ms and emits ::progress, so the window's progress bar moves
 * without the worker touching a widget. */

#define POLL_MS 100

struct _SextantPriceFetch
{
  GObject                       parent_instance;

  char                         *database_path;
  SextantProviderSettings      *providers;
  char                        **symbols;
  gboolean                      only_stale;
  SextantPriceFetchPrepareFunc  prepare;
  gpointer                      prepare_data;
  GDestroyNotify                prepare_destroy;

  GCancellable                 *cancellable;
  guint                         poll_id;

  /* written by the worker, read by the poll */
  GMutex                        mutex;
  char                         *symbol;
  guint                         done;
  guint                         total;
};

G_DEFINE_FINAL_TYPE (SextantPriceFetch, sextant_price_fetch, G_TYPE_OBJECT)

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
sextant_price_fetch_dispose (GObject *object)
{
  SextantPriceFetch *self = SEXTANT_PRICE_FETCH (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);

  G_OBJECT_CLASS (sextant_price_fetch_parent_class)->dispose (object);
}

static void
sextant_price_fetch_finalize (GObject *object)
{
  SextantPriceFetch *self = SEXTANT_PRICE_FETCH (object);

  g_free (self->database_path);
  sextant_provider_settings_free (self->providers);
  g_strfreev (self->symbols);
  if (self->prepare_destroy != NULL)
    self->prepare_destroy (self->prepare_data);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->mutex);
  g_free (self->symbol);

  G_OBJECT_CLASS (sextant_price_fetch_parent_class)->finalize (object);
}

static void
sextant_price_fetch_class_init (SextantPriceFetchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_price_fetch_dispose;
  object_class->finalize = sextant_price_fetch_finalize;

  /**
   * SextantPriceFetch::progress:
   * @self: the fetch
   * @symbol: (nullable): the symbol being fetched, or %NULL once the last one is done
   * @done: how many symbols are finished
   * @total: how many there are, 0 while the worker has not yet said
   *
   * Emitted on the main thread when the fetch starts and every 100 ms while it runs.
   */
  signals[SIGNAL_PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                           G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT);
}

static void
sextant_price_fetch_init (SextantPriceFetch *self)
{
  g_mutex_init (&self->mutex);
  self->cancellable = g_cancellable_new ();
}

/**
 * sextant_price_fetch_new:
 * @database_path: the workspace's database, which the worker opens for itself
 * @providers: (transfer full): the user's providers
 * @symbols: (transfer full): the symbols to fetch
 * @only_stale: fetch only those of @symbols whose cached bars are stale
 *
 * Returns: (transfer full): a fetch, not yet started
 */
SextantPriceFetch *
sextant_price_fetch_new (const char               *database_path,
                         SextantProviderSettings  *providers,
                         char                    **symbols,
                         gboolean                  only_stale)
{
  SextantPriceFetch *self = g_object_new (SEXTANT_TYPE_PRICE_FETCH, NULL);

  self->database_path = g_strdup (database_path);
  self->providers = providers;
  self->symbols = symbols;
  self->only_stale = only_stale;

  return self;
}

/**
 * sextant_price_fetch_set_prepare:
 * @prepare: what the worker does with the cache before asking the providers
 * @user_data: its data, which the main thread may read again once the fetch is finished
 * @destroy: (nullable): frees @user_data with the fetch
 */
void
sextant_price_fetch_set_prepare (SextantPriceFetch            *self,
                                 SextantPriceFetchPrepareFunc  prepare,
                                 gpointer                      user_data,
                                 GDestroyNotify                destroy)
{
  g_return_if_fail (SEXTANT_IS_PRICE_FETCH (self));
  g_return_if_fail (self->prepare == NULL);

  self->prepare = prepare;
  self->prepare_data = user_data;
  self->prepare_destroy = destroy;
}

/**
 * sextant_price_fetch_get_prepare_data:
 *
 * Returns: (transfer none) (nullable): the data given to sextant_price_fetch_set_prepare()
 */
gpointer
sextant_price_fetch_get_prepare_data (SextantPriceFetch *self)
{
  g_return_val_if_fail (SEXTANT_IS_PRICE_FETCH (self), NULL);

  return self->prepare_data;
}

static void
progress_cb (const char *symbol,
             guint       done,
             guint       total,
             gpointer    user_data)
{
  SextantPriceFetch *self = user_data;

  g_mutex_lock (&self->mutex);
  g_free (self->symbol);
  self->symbol = g_strdup (symbol);
  self->done = done;
  self->total = total;
  g_mutex_unlock (&self->mutex);
}

/* Everything here is made, used and dropped on the worker's own main context. */
static GPtrArray *
fetch_in_context (SextantPriceFetch  *self,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(SextantMarketCache) cache = NULL;
  g_autoptr(SextantMarketRouter) router = NULL;
  g_autoptr(SextantMarketData) market = NULL;
  g_auto(GStrv) stale = NULL;
  const char * const *symbols = (const char * const *) self->symbols;

  if ((store = sextant_schema_open (self->database_path, error)) == NULL)
    return NULL;
  cache = sextant_market_cache_new (store);
  if (self->prepare != NULL)
    self->prepare (cache, cancellable, self->prepare_data);
  if ((router = sextant_provider_settings_create_router (self->providers, error)) == NULL)
    return NULL;
  market = sextant_market_data_new (cache, router);
  if (self->only_stale)
    {
      stale = sextant_price_refresh_list_stale (market, symbols);
      symbols = (const char * const *) stale;
      progress_cb (stale[0], 0, g_strv_length (stale), self);
    }

  return sextant_price_refresh_run (market, symbols, cancellable, progress_cb, self, error);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  GError *error = NULL;
  GPtrArray *outcomes;

  g_main_context_push_thread_default (context);
  outcomes = fetch_in_context (source_object, cancellable, &error);
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (outcomes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, outcomes, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
poll_cb (gpointer user_data)
{
  SextantPriceFetch *self = user_data;
  g_autofree char *symbol = NULL;
  guint done, total;

  g_mutex_lock (&self->mutex);
  symbol = g_strdup (self->symbol);
  done = self->done;
  total = self->total;
  g_mutex_unlock (&self->mutex);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, symbol, done, total);

  return G_SOURCE_CONTINUE;
}

/**
 * sextant_price_fetch_run_async:
 * @callback: called on this thread's main context when the worker is done
 *
 * Starts the worker, once; ::progress is emitted at once and then while it runs. The fetch
 * keeps itself alive until @callback.
 */
void
sextant_price_fetch_run_async (SextantPriceFetch   *self,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEXTANT_IS_PRICE_FETCH (self));
  g_return_if_fail (self->poll_id == 0);

  self->poll_id = g_timeout_add (POLL_MS, poll_cb, self);
  poll_cb (self);
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_price_fetch_run_async);
  g_task_run_in_thread (task, fetch_thread);
}

/**
 * sextant_price_fetch_run_finish:
 *
 * Stops ::progress.
 *
 * Returns: (transfer full) (element-type SextantPriceRefreshOutcome): an outcome for each
 *   symbol fetched, or %NULL with @error set (%G_IO_ERROR_CANCELLED after
 *   sextant_price_fetch_cancel())
 */
GPtrArray *
sextant_price_fetch_run_finish (SextantPriceFetch  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  g_clear_handle_id (&self->poll_id, g_source_remove);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sextant_price_fetch_cancel:
 *
 * Stops the worker after the symbol it is fetching; the callback still comes.
 */
void
sextant_price_fetch_cancel (SextantPriceFetch *self)
{
  g_return_if_fail (SEXTANT_IS_PRICE_FETCH (self));

  g_cancellable_cancel (self->cancellable);
}

#define G_LOG_DOMAIN "sextant-demo-set"

#include "config.h"

#include "market/sextant-demo-data.h"
#include "market/sextant-demo-set.h"

/* The bundled demo data in memory: the S&P 500 index, the Dow stocks' closes and the demo
 * portfolio. Loaded once, in a thread for the windows; read by the tools and the windows while
 * the user's own book is empty. The workspace owns one and the agent's tools read it, which is
 * why it lives in market/ and not in the workspace above the agent. */
struct _SextantDemoSet
{
  GObject             parent_instance;
  SextantPriceSeries *index;
  SextantPriceTable  *stocks;
  SextantPortfolio   *portfolio;
};

enum { PROP_0, PROP_LOADED, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantDemoSet, sextant_demo_set, G_TYPE_OBJECT)

static void
sextant_demo_set_finalize (GObject *object)
{
  SextantDemoSet *self = (SextantDemoSet *)object;

  g_clear_pointer (&self->index, sextant_price_series_unref);
  g_clear_pointer (&self->stocks, sextant_price_table_unref);
  g_clear_object (&self->portfolio);

  G_OBJECT_CLASS (sextant_demo_set_parent_class)->finalize (object);
}

static void
sextant_demo_set_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SextantDemoSet *self = SEXTANT_DEMO_SET (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, sextant_demo_set_get_loaded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_demo_set_class_init (SextantDemoSetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_demo_set_finalize;
  object_class->get_property = sextant_demo_set_get_property;

  properties [PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_demo_set_init (SextantDemoSet *self)
{
}

SextantDemoSet *
sextant_demo_set_new (void)
{
  return g_object_new (SEXTANT_TYPE_DEMO_SET, NULL);
}

typedef struct
{
  SextantPriceSeries *index;
  SextantPriceTable  *stocks;
  SextantPortfolio   *portfolio;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->index, sextant_price_series_unref);
  g_clear_pointer (&loaded->stocks, sextant_price_table_unref);
  g_clear_object (&loaded->portfolio);
  g_free (loaded);
}

static Loaded *
load_files (GError **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);
  gint64 start = g_get_monotonic_time ();

  if (!(loaded->index = sextant_demo_data_load_index (error)) ||
      !(loaded->stocks = sextant_demo_data_load_stocks (error)) ||
      !(loaded->portfolio = sextant_demo_data_load_portfolio (error)))
    {
      g_prefix_error (error, "Cannot load the bundled demo data: ");
      loaded_free (loaded);
      return NULL;
    }
  g_debug ("Demo data read in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  return loaded;
}

static void
adopt (SextantDemoSet *self,
       Loaded         *loaded)
{
  self->index = g_steal_pointer (&loaded->index);
  self->stocks = g_steal_pointer (&loaded->stocks);
  self->portfolio = g_steal_pointer (&loaded->portfolio);
  loaded_free (loaded);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADED]);
}

/**
 * sextant_demo_set_load:
 * @self: a demo set
 * @error: return location for an error
 *
 * Loads the bundled demo data synchronously (the CLI and tests); windows use the async variant.
 *
 * Returns: %TRUE on success
 */
gboolean
sextant_demo_set_load (SextantDemoSet  *self,
                       GError         **error)
{
  Loaded *loaded;

  g_return_val_if_fail (SEXTANT_IS_DEMO_SET (self), FALSE);

  if (sextant_demo_set_get_loaded (self))
    return TRUE;
  if (!(loaded = load_files (error)))
    return FALSE;
  adopt (self, loaded);

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  Loaded *loaded = load_files (&error);

  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

void
sextant_demo_set_load_async (SextantDemoSet      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SEXTANT_IS_DEMO_SET (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sextant_demo_set_load_async);
  g_task_run_in_thread (task, load_thread);
}

gboolean
sextant_demo_set_load_finish (SextantDemoSet  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  Loaded *loaded;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!(loaded = g_task_propagate_pointer (G_TASK (result), error)))
    return FALSE;
  if (!sextant_demo_set_get_loaded (self))
    adopt (self, loaded);
  else
    loaded_free (loaded);

  return TRUE;
}

gboolean
sextant_demo_set_get_loaded (SextantDemoSet *self)
{
  g_return_val_if_fail (SEXTANT_IS_DEMO_SET (self), FALSE);

  return self->index != NULL;
}

SextantPriceSeries *
sextant_demo_set_get_index (SextantDemoSet *self)
{
  g_return_val_if_fail (SEXTANT_IS_DEMO_SET (self), NULL);

  return self->index;
}

SextantPriceTable *
sextant_demo_set_get_stocks (SextantDemoSet *self)
{
  g_return_val_if_fail (SEXTANT_IS_DEMO_SET (self), NULL);

  return self->stocks;
}

SextantPortfolio *
sextant_demo_set_get_portfolio (SextantDemoSet *self)
{
  g_return_val_if_fail (SEXTANT_IS_DEMO_SET (self), NULL);

  return self->portfolio;
}

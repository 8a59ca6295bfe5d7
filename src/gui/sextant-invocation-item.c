#define G_LOG_DOMAIN "sextant-invocation-item"

#include "config.h"

#include <glib/gi18n.h>

#include "sextant-invocation-item.h"

/* One row of the monitoring page's invocation table: a recorded agent turn in a GObject, so that
 * a GListStore can hold it for the GtkColumnView. */

struct _SextantInvocationItem
{
  GObject           parent_instance;
  SextantInvocation invocation;
};

G_DEFINE_FINAL_TYPE (SextantInvocationItem, sextant_invocation_item, G_TYPE_OBJECT)

static const char * const titles[SEXTANT_INVOCATION_N_COLUMNS] = {
  N_("Time"), N_("Model"), N_("Region"), N_("Role"), N_("First Token"), N_("Latency"), N_("Tokens In"),
  N_("Tokens Out"), N_("Tool Calls"), N_("Retries"), N_("Outcome"), N_("Error"),
};

static void
sextant_invocation_item_finalize (GObject *object)
{
  sextant_invocation_clear (&SEXTANT_INVOCATION_ITEM (object)->invocation);

  G_OBJECT_CLASS (sextant_invocation_item_parent_class)->finalize (object);
}

static void
sextant_invocation_item_class_init (SextantInvocationItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sextant_invocation_item_finalize;
}

static void
sextant_invocation_item_init (SextantInvocationItem *self)
{
}

/**
 * sextant_invocation_item_new:
 * @invocation: (transfer full): a row of sextant_invocation_log_list(); its strings are taken
 *   over and @invocation itself freed
 *
 * Returns: (transfer full): the item
 */
SextantInvocationItem *
sextant_invocation_item_new (SextantInvocation *invocation)
{
  SextantInvocationItem *self;

  g_return_val_if_fail (invocation != NULL, NULL);

  self = g_object_new (SEXTANT_TYPE_INVOCATION_ITEM, NULL);
  self->invocation = *invocation;
  g_free (invocation);

  return self;
}

const SextantInvocation *
sextant_invocation_item_get_invocation (SextantInvocationItem *self)
{
  g_return_val_if_fail (SEXTANT_IS_INVOCATION_ITEM (self), NULL);

  return &self->invocation;
}

/**
 * sextant_invocation_column_get_title:
 *
 * Returns: the column's translated title
 */
const char *
sextant_invocation_column_get_title (SextantInvocationColumn column)
{
  g_return_val_if_fail (column < SEXTANT_INVOCATION_N_COLUMNS, NULL);

  return _(titles[column]);
}

gboolean
sextant_invocation_column_is_numeric (SextantInvocationColumn column)
{
  return column >= SEXTANT_INVOCATION_COLUMN_TTFT && column <= SEXTANT_INVOCATION_COLUMN_RETRIES;
}

static char *
format_time (gint64 unix_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("—");
}

static char *
format_ms (gint64 ms)
{
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, ms);

  /* Translators: a number of milliseconds */
  return g_strdup_printf (_("%s ms"), number);
}

/**
 * sextant_invocation_item_format:
 * @self: an item
 * @column: a column
 *
 * Returns: (transfer full): the cell's text: local time to the second, milliseconds with their
 *   unit, counts as integers, and “—” for what was not recorded (no first token, no model for
 *   the offline analyst, no error)
 */
char *
sextant_invocation_item_format (SextantInvocationItem   *self,
                                SextantInvocationColumn  column)
{
  const SextantInvocation *inv;

  g_return_val_if_fail (SEXTANT_IS_INVOCATION_ITEM (self), NULL);

  inv = &self->invocation;
  switch (column)
    {
    case SEXTANT_INVOCATION_COLUMN_TIME:
      return format_time (inv->started_at);
    case SEXTANT_INVOCATION_COLUMN_MODEL:
      return g_strdup (inv->model != NULL ? inv->model : _("Offline analyst"));
    case SEXTANT_INVOCATION_COLUMN_REGION:
      /* With region fallback the region that answered, not necessarily the configured one. */
      return g_strdup (inv->region != NULL ? inv->region : "—");
    case SEXTANT_INVOCATION_COLUMN_ROLE:
      return g_strdup (inv->role != NULL ? inv->role : "—");
    case SEXTANT_INVOCATION_COLUMN_TTFT:
      return inv->ttft_ms >= 0 ? format_ms (inv->ttft_ms) : g_strdup ("—");
    case SEXTANT_INVOCATION_COLUMN_LATENCY:
      return format_ms (inv->latency_ms);
    case SEXTANT_INVOCATION_COLUMN_INPUT_TOKENS:
      return g_strdup_printf ("%'" G_GINT64_FORMAT, inv->input_tokens);
    case SEXTANT_INVOCATION_COLUMN_OUTPUT_TOKENS:
      return g_strdup_printf ("%'" G_GINT64_FORMAT, inv->output_tokens);
    case SEXTANT_INVOCATION_COLUMN_TOOL_CALLS:
      return g_strdup_printf ("%u", inv->tool_calls);
    case SEXTANT_INVOCATION_COLUMN_RETRIES:
      return g_strdup_printf ("%u", inv->retries);
    case SEXTANT_INVOCATION_COLUMN_OUTCOME:
      return g_strdup (inv->outcome);
    case SEXTANT_INVOCATION_COLUMN_ERROR_TYPE:
      return g_strdup (inv->error_type != NULL ? inv->error_type : "—");
    case SEXTANT_INVOCATION_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

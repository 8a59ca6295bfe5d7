#define G_LOG_DOMAIN "sextant-monitoring-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sextant-chart-view.h"
#include "sextant-invocation-item.h"
#include "sextant-monitoring-window.h"
#include "sextant-window-helpers.h"

/* The assistant's telemetry, on the chat side (Ctrl+4, or the chat window's menu): its
 * invocations from the workspace's invocation log (the one the chat records into), as tiles,
 * charts, errors by type and the raw table, and the log lines that matter — each Bedrock
 * request with its model, region, tokens, latency and outcome, each retry with its reason
 * (a throttle), warnings and errors — or every line of the log. It reloads when the log says a
 * row was recorded and, so that "the last hour" keeps sliding, every half minute — both only
 * while the window is on screen. */

struct _SextantMonitoringWindow
{
  SextantWorkspaceWindow  parent_instance;

  /* template */
  GtkMenuButton          *menu_button;
  GtkWidget              *monitoring_page;
  GtkDropDown            *period_dropdown;
  GtkLabel               *monitoring_status_label;
  GtkStack               *monitoring_stack;
  AdwStatusPage          *assistant_status;
  GtkFlowBox             *monitoring_kpi_box;
  SextantChartView       *requests_view;
  SextantChartView       *latency_view;
  GtkListBox             *errors_list;
  GtkListBox             *spending_list;
  GtkColumnView          *invocations_view;
  GtkLabel               *log_path_label;
  GtkCheckButton         *all_lines_check;
  GtkTextView            *log_view;

  /* state */
  GHashTable             *kpi_labels;
  GListStore             *invocations;
  SextantInvocationLog   *invocation_log;
  SextantInvocationStats *monitoring_stats;
  SextantModelPrices     *prices;
  guint                   monitoring_reload_id;
  guint                   monitoring_tick_id;
};

G_DEFINE_FINAL_TYPE (SextantMonitoringWindow, sextant_monitoring_window, SEXTANT_TYPE_WORKSPACE_WINDOW)

#define LOG_TAIL_LINES 200
#define TICK_SECONDS 30
#define MINUTE_US ((gint64) 60 * G_USEC_PER_SEC)

static const struct
{
  const char *label;
  gint64      length_us;
  gint64      bucket_us;
} periods[] = {
  { N_("the last hour"), 60 * MINUTE_US, MINUTE_US },
  { N_("the last 24 hours"), 24 * 60 * MINUTE_US, 15 * MINUTE_US },
  { N_("the last 7 days"), 7 * 24 * 60 * MINUTE_US, 60 * MINUTE_US },
};

static const struct
{
  const char *key;
  const char *title;
  const char *caption;
} tiles[] = {
  { "requests-per-minute", N_("Requests per Minute"), N_("Over the period") },
  { "latency-p50", N_("Latency p50"), N_("Request to the end of the answer") },
  { "latency-p95", N_("Latency p95"), N_("Request to the end of the answer") },
  { "ttft-p50", N_("Time to First Token"), N_("Median, streamed answers") },
  { "input-tokens", N_("Input Tokens"), N_("Summed over every round") },
  { "output-tokens", N_("Output Tokens"), N_("Summed over every round") },
  { "tool-calls", N_("Tool Calls"), N_("Run by the assistant") },
  { "error-rate", N_("Error Rate"), N_("Failed, interrupted or cancelled") },
};

typedef struct
{
  SextantInvocationSeries *series;
  SextantChartSeries       lines[2];
  SextantTimeSeriesChart   requests;
  SextantTimeSeriesChart   latency;
} MonitoringCharts;

static void
monitoring_charts_clear (MonitoringCharts *charts)
{
  g_clear_pointer (&charts->series, sextant_invocation_series_free);
}

static MonitoringCharts *
monitoring_charts_new (SextantInvocationSeries *series)
{
  MonitoringCharts *charts = g_rc_box_new0 (MonitoringCharts);

  charts->series = series;
  charts->requests = (SextantTimeSeriesChart) {
    .title = _("Assistant Requests"), .times = series->times, .n = series->n,
    .bars = series->requests_per_minute, .bars_label = _("Requests per minute"),
  };
  charts->lines[0] = (SextantChartSeries) { _("p50"), series->latency_p50_ms, series->n };
  charts->lines[1] = (SextantChartSeries) { _("p95"), series->latency_p95_ms, series->n };
  charts->latency = (SextantTimeSeriesChart) {
    .title = _("Assistant Latency"), .times = series->times, .n = series->n, .lines = charts->lines,
    .n_lines = G_N_ELEMENTS (charts->lines), .lines_label = _("Latency (ms)"),
  };

  return charts;
}

static void
monitoring_charts_release (gpointer charts)
{
  g_rc_box_release_full (charts, (GDestroyNotify) monitoring_charts_clear);
}

static char *
format_ms (double ms)
{
  /* Translators: a number of milliseconds */
  return isfinite (ms) ? g_strdup_printf (_("%.0f ms"), ms) : g_strdup ("—");
}

static void
set_tile (SextantMonitoringWindow *self,
          const char        *key,
          char              *text)
{
  gtk_label_set_text (g_hash_table_lookup (self->kpi_labels, key), text);
  g_free (text);
}

static void
show_tiles (SextantMonitoringWindow      *self,
            const SextantInvocationStats *stats)
{
  set_tile (self, "requests-per-minute", g_strdup_printf ("%.2f", stats->requests_per_minute));
  set_tile (self, "latency-p50", format_ms (stats->latency_p50_ms));
  set_tile (self, "latency-p95", format_ms (stats->latency_p95_ms));
  set_tile (self, "ttft-p50", format_ms (stats->ttft_p50_ms));
  set_tile (self, "input-tokens", g_strdup_printf ("%'" G_GINT64_FORMAT, stats->input_tokens));
  set_tile (self, "output-tokens", g_strdup_printf ("%'" G_GINT64_FORMAT, stats->output_tokens));
  set_tile (self, "tool-calls", g_strdup_printf ("%'" G_GINT64_FORMAT, stats->tool_calls));
  set_tile (self, "error-rate", g_strdup_printf ("%.1f %%", 100 * stats->error_rate));
}

static void
show_errors (SextantMonitoringWindow      *self,
             const SextantInvocationStats *stats)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->errors_list))))
    gtk_list_box_remove (self->errors_list, child);

  for (guint i = 0; i < stats->errors->len; i++)
    {
      const SextantErrorCount *count = stats->errors->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, count->count);
      g_autofree char *subtitle = NULL;

      /* Translators: a count of failed invocations and their share of all, in percent */
      subtitle = g_strdup_printf (ngettext ("%s invocation, %.1f %% of all", "%s invocations, %.1f %% of all",
                                            count->count),
                                  number, 100 * count->rate);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), count->error_type);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->errors_list, row);
    }
  if (stats->errors->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No errors in this period"));
      gtk_list_box_append (self->errors_list, row);
    }
}

static char *
format_dollars (double value)
{
  return isnan (value) ? g_strdup (_("no price")) : g_strdup_printf ("$%.4f", value);
}

static void
add_spending_row (SextantMonitoringWindow *self,
                  const char              *title,
                  const char              *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_append (self->spending_list, row);
}

/* This UTC month by day, model and role, from the log and the window's price table; the first
 * row is the month's total beside the monthly limit. */
static void
show_spending (SextantMonitoringWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *month = g_date_time_format (now, "%Y-%m");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *title = NULL;
  double total = 0, limit;
  gint64 since, until;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->spending_list))))
    gtk_list_box_remove (self->spending_list, child);
  if (!sextant_spending_parse_month (month, &since, &until, &error) ||
      !(rows = sextant_spending_by_day (sextant_invocation_log_get_store (self->invocation_log), self->prices,
                                        since, until, &error)))
    {
      add_spending_row (self, _("Spending could not be read"), error->message);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];

      if (!isnan (row->cost_usd))
        total += row->cost_usd;
    }
  limit = settings != NULL ? g_settings_get_double (settings, "spending-limit-monthly") : 0;
  total_text = format_dollars (total);
  if (limit > 0)
    /* Translators: the month (YYYY-MM), its estimated cost, the monthly limit and the share used */
    {
      limit_text = g_strdup_printf ("$%.2f", limit);
      title = g_strdup_printf (_("%s: %s of the %s monthly limit (%.0f %%)"), month, total_text, limit_text,
                               100 * total / limit);
    }
  else
    /* Translators: the month (YYYY-MM) and its estimated cost */
    title = g_strdup_printf (_("%s: %s, no monthly limit"), month, total_text);
  add_spending_row (self, title, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      SextantSpendingRow *row = rows->pdata[i];
      g_autofree char *cost = format_dollars (row->cost_usd);
      g_autofree char *line = NULL;
      g_autofree char *details = NULL;
      g_autofree char *requests = NULL;

      requests = g_strdup_printf (ngettext ("%" PRId64 " request", "%" PRId64 " requests",
                                            (gulong) CLAMP (row->requests, 0, G_MAXLONG)),
                                  (int64_t) row->requests);
      /* Translators: a day, a model id and a role id */
      line = g_strdup_printf (_("%s · %s · %s"), row->day, row->model != NULL ? row->model : _("Offline analyst"),
                              row->role != NULL ? row->role : "—");
      /* Translators: cost, "N requests", then input, output, cache-read and cache-write tokens */
      details = g_strdup_printf (_("%s · %s · %" PRId64 " in, %" PRId64 " out, %" PRId64
                                   " cache read, %" PRId64 " cache write"),
                                 cost, requests, (int64_t) row->input_tokens,
                                 (int64_t) row->output_tokens, (int64_t) row->cache_read_tokens,
                                 (int64_t) row->cache_write_tokens);
      add_spending_row (self, line, details);
    }
}

static void
load_prices (SextantMonitoringWindow *self)
{
  GSettings *settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  g_autofree char *json = settings != NULL ? g_settings_get_string (settings, "model-prices") : NULL;
  g_autoptr(GError) error = NULL;

  sextant_model_prices_reset (self->prices);
  if (json != NULL && json[0] != '\0' && !sextant_model_prices_load_json (self->prices, json, &error))
    g_warning ("Ignoring the saved token prices: %s", error->message);
}

/* Newest first: the table is read from the top for what just happened. */
static void
show_table (SextantMonitoringWindow *self,
            GPtrArray         *list)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = list->len; i > 0; i--)
    g_ptr_array_add (items, sextant_invocation_item_new (g_ptr_array_steal_index (list, i - 1)));
  g_list_store_splice (self->invocations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->invocations)),
                       items->pdata, items->len);
}

static void
show_unavailable (SextantMonitoringWindow *self,
                  const char        *reason)
{
  gtk_stack_set_visible_child_name (self->monitoring_stack, "empty");
  adw_status_page_set_description (self->assistant_status, reason);
  gtk_label_set_text (self->monitoring_status_label, "");
}

/* The log lines that matter to someone watching the assistant: Bedrock's requests and retries
 * (sextant_log_writer_note () lines of the agent and the client) and anything that went wrong. */
static gboolean
line_matters (const char *line)
{
  return strstr (line, " NOTE ") != NULL || strstr (line, " WARNING ") != NULL ||
         strstr (line, " CRITICAL ") != NULL || strstr (line, " ERROR ") != NULL;
}

static void
reload_log_tail (SextantMonitoringWindow *self)
{
  g_autofree char *path = sextant_log_writer_dup_path ();
  g_auto(GStrv) lines = sextant_log_writer_read_tail (LOG_TAIL_LINES);
  gboolean all = gtk_check_button_get_active (self->all_lines_check);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    if (all || line_matters (lines[i]))
      g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", lines[i]);
  if (text->len == 0)
    g_string_append (text, all ? _("The log is empty.")
                               : _("No Bedrock request, retry, warning or error in the recent log."));
  gtk_label_set_text (self->log_path_label, path != NULL ? path : _("No log file"));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->log_view), text->str, -1);
}

/**
 * sextant_monitoring_window_reload:
 * @self: a monitoring window
 *
 * Reads the period's invocations again and shows them, with the log's tail.
 */
void
sextant_monitoring_window_reload (SextantMonitoringWindow *self)
{
  guint period;
  gint64 until = g_get_real_time () + 1, since;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%X");
  g_autofree char *status = NULL;
  MonitoringCharts *charts;

  g_return_if_fail (SEXTANT_IS_MONITORING_WINDOW (self));

  period = MIN (gtk_drop_down_get_selected (self->period_dropdown), G_N_ELEMENTS (periods) - 1);
  since = until - periods[period].length_us;
  reload_log_tail (self);
  g_clear_pointer (&self->monitoring_stats, sextant_invocation_stats_free);
  if (self->invocation_log == NULL)
    return;
  if ((list = sextant_invocation_log_list (self->invocation_log, since, until, &error)) == NULL ||
      (self->monitoring_stats = sextant_invocation_log_query_stats (self->invocation_log, since, until,
                                                                    &error)) == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("The invocation log could not be read: %s"),
                                                 error->message);

      show_unavailable (self, reason);
      return;
    }

  /* Translators: a number of invocations, a period such as “the last hour”, a clock time */
  status = g_strdup_printf (ngettext ("%u invocation in %s, as of %s", "%u invocations in %s, as of %s",
                                      list->len),
                            list->len, _(periods[period].label), clock);
  gtk_label_set_text (self->monitoring_status_label, status);
  gtk_stack_set_visible_child_name (self->monitoring_stack, list->len > 0 ? "metrics" : "empty");
  show_tiles (self, self->monitoring_stats);
  show_errors (self, self->monitoring_stats);
  show_spending (self);
  charts = monitoring_charts_new (sextant_invocation_series_new (list, since, until,
                                                                 periods[period].bucket_us));
  sextant_chart_view_set_chart (self->requests_view, SEXTANT_CHART_KIND_TIMESERIES, &charts->requests,
                                g_rc_box_acquire (charts), monitoring_charts_release);
  sextant_chart_view_set_chart (self->latency_view, SEXTANT_CHART_KIND_TIMESERIES, &charts->latency,
                                charts, monitoring_charts_release);
  show_table (self, list);
}

static gboolean
reload_cb (gpointer user_data)
{
  SextantMonitoringWindow *self = user_data;

  self->monitoring_reload_id = 0;
  sextant_monitoring_window_reload (self);

  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer user_data)
{
  sextant_monitoring_window_reload (user_data);

  return G_SOURCE_CONTINUE;
}

/* Several turns may be recorded in a burst (a test, a retried turn): one reload covers them. A
 * hidden window catches up when shown. */
static void
recorded_cb (SextantMonitoringWindow *self,
             gint64                   started_at)
{
  if (gtk_widget_get_mapped (self->monitoring_page) && self->monitoring_reload_id == 0)
    self->monitoring_reload_id = g_idle_add (reload_cb, self);
}

static void
page_mapped_cb (SextantMonitoringWindow *self)
{
  sextant_monitoring_window_reload (self);
  if (self->monitoring_tick_id == 0)
    self->monitoring_tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
}

static void
page_unmapped_cb (SextantMonitoringWindow *self)
{
  g_clear_handle_id (&self->monitoring_tick_id, g_source_remove);
  g_clear_handle_id (&self->monitoring_reload_id, g_source_remove);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  SextantInvocationColumn column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), sextant_invocation_column_is_numeric (column) ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (sextant_invocation_column_is_numeric (column))
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SextantInvocationItem *invocation = gtk_list_item_get_item (item);
  g_autofree char *text = sextant_invocation_item_format (invocation, GPOINTER_TO_INT (user_data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
create_columns (SextantMonitoringWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->invocations = g_list_store_new (SEXTANT_TYPE_INVOCATION_ITEM);
  self->prices = sextant_model_prices_new ();
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->invocations)));
  gtk_column_view_set_model (self->invocations_view, GTK_SELECTION_MODEL (selection));
  for (guint c = 0; c < SEXTANT_INVOCATION_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (sextant_invocation_column_get_title (c), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == SEXTANT_INVOCATION_COLUMN_MODEL);
      gtk_column_view_append_column (self->invocations_view, column);
    }
}

/* Follows the workspace's invocation log, opening the workspace's database first if nothing
 * has yet (the application opens it at startup; a window made on its own does it here). */
static void
connect_invocation_log (SextantMonitoringWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autoptr(GError) error = NULL;

  if (sextant_workspace_get_store (workspace) == NULL && !sextant_workspace_open_store (workspace, &error))
    {
      g_autofree char *reason = g_strdup_printf (_("The database could not be opened: %s"), error->message);

      show_unavailable (self, reason);
      return;
    }
  self->invocation_log = g_object_ref (sextant_workspace_get_invocation_log (workspace));
  g_signal_connect_object (self->invocation_log, "recorded", G_CALLBACK (recorded_cb), self,
                           G_CONNECT_SWAPPED);
  if (gtk_widget_get_mapped (self->monitoring_page))
    sextant_monitoring_window_reload (self);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sextant_monitoring_window_reload (SEXTANT_MONITORING_WINDOW (widget));
}

static void
sextant_monitoring_window_constructed (GObject *object)
{
  SextantMonitoringWindow *self = SEXTANT_MONITORING_WINDOW (object);
  GSettings *settings;

  G_OBJECT_CLASS (sextant_monitoring_window_parent_class)->constructed (object);

  settings = sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
  load_prices (self);
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::model-prices", G_CALLBACK (load_prices), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::spending-limit-monthly",
                               G_CALLBACK (sextant_monitoring_window_reload), self, G_CONNECT_SWAPPED);
    }
  connect_invocation_log (self);
}

static void
sextant_monitoring_window_dispose (GObject *object)
{
  SextantMonitoringWindow *self = SEXTANT_MONITORING_WINDOW (object);

  g_clear_handle_id (&self->monitoring_tick_id, g_source_remove);
  g_clear_handle_id (&self->monitoring_reload_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SEXTANT_TYPE_MONITORING_WINDOW);
  g_clear_object (&self->invocation_log);
  g_clear_object (&self->invocations);
  g_clear_pointer (&self->monitoring_stats, sextant_invocation_stats_free);
  g_clear_pointer (&self->kpi_labels, g_hash_table_unref);
  g_clear_object (&self->prices);

  G_OBJECT_CLASS (sextant_monitoring_window_parent_class)->dispose (object);
}

static void
sextant_monitoring_window_class_init (SextantMonitoringWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sextant_monitoring_window_constructed;
  object_class->dispose = sextant_monitoring_window_dispose;
  SEXTANT_WORKSPACE_WINDOW_CLASS (klass)->settings_prefix = "monitoring-window";

  g_type_ensure (SEXTANT_TYPE_CHART_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "sextant-monitoring-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, monitoring_page);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, monitoring_status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, monitoring_stack);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, assistant_status);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, monitoring_kpi_box);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, requests_view);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, latency_view);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, errors_list);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, spending_list);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, invocations_view);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, log_path_label);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, all_lines_check);
  gtk_widget_class_bind_template_child (widget_class, SextantMonitoringWindow, log_view);
  gtk_widget_class_install_action (widget_class, "win.refresh-monitoring", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh-monitoring", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh-monitoring", NULL);
}

static void
sextant_monitoring_window_init (SextantMonitoringWindow *self)
{
  self->kpi_labels = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_init_template (GTK_WIDGET (self));
  sextant_workspace_window_set_menu_button (SEXTANT_WORKSPACE_WINDOW (self), self->menu_button);

  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      GtkWidget *value = gtk_label_new ("—");

      gtk_flow_box_append (self->monitoring_kpi_box, sextant_window_new_kpi_tile (_(tiles[i].title), _(tiles[i].caption), value));
      g_hash_table_insert (self->kpi_labels, (gpointer) tiles[i].key, value);
    }
  create_columns (self);
  g_signal_connect_object (self->period_dropdown, "notify::selected",
                           G_CALLBACK (sextant_monitoring_window_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->all_lines_check, "toggled", G_CALLBACK (reload_log_tail), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitoring_page, "map", G_CALLBACK (page_mapped_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitoring_page, "unmap", G_CALLBACK (page_unmapped_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * sextant_monitoring_window_new:
 * @application: (nullable): the application
 * @workspace: the workspace whose invocation log it shows
 *
 * Returns: (transfer floating): a new monitoring window
 */
SextantMonitoringWindow *
sextant_monitoring_window_new (GtkApplication   *application,
                               SextantWorkspace *workspace)
{
  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  return g_object_new (SEXTANT_TYPE_MONITORING_WINDOW,
                       "application", application,
                       "workspace", workspace,
                       NULL);
}

/**
 * sextant_monitoring_window_get_kpi_label:
 * @self: a monitoring window
 * @key: a tile's key, such as `latency-p50`
 *
 * Returns: (transfer none) (nullable): the label showing the tile's value
 */
GtkLabel *
sextant_monitoring_window_get_kpi_label (SextantMonitoringWindow *self,
                                         const char              *key)
{
  g_return_val_if_fail (SEXTANT_IS_MONITORING_WINDOW (self), NULL);

  return g_hash_table_lookup (self->kpi_labels, key);
}

/**
 * sextant_monitoring_window_dup_log_text:
 * @self: a monitoring window
 *
 * Returns: (transfer full): the log lines shown
 */
char *
sextant_monitoring_window_dup_log_text (SextantMonitoringWindow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SEXTANT_IS_MONITORING_WINDOW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->log_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * sextant_monitoring_window_present_for:
 * @application: (nullable): the application
 * @workspace: the workspace
 *
 * Shows the workspace's monitoring window, made if there is none: one is enough, wherever it
 * is asked for (the main menu, Ctrl+4, the chat window's menu).
 *
 * Returns: (transfer none): the window shown
 */
SextantMonitoringWindow *
sextant_monitoring_window_present_for (GtkApplication   *application,
                                       SextantWorkspace *workspace)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  SextantMonitoringWindow *window = NULL;

  g_return_val_if_fail (SEXTANT_IS_WORKSPACE (workspace), NULL);

  for (guint i = 0; window == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (SEXTANT_IS_MONITORING_WINDOW (item) &&
          sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (item)) == workspace)
        window = SEXTANT_MONITORING_WINDOW (item);
    }
  if (window == NULL)
    window = sextant_monitoring_window_new (application, workspace);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

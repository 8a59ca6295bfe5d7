#define G_LOG_DOMAIN "sextant-portfolio-window-batch"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sextant-money-format.h"
#include "sextant-portfolio-window-private.h"

/* Scenarios on AWS Batch: "Run on" chooses this computer or the user's Batch queue (Preferences
 * → Scenario Jobs on AWS Batch). The job belongs to the workspace's SextantComputeJobMonitor, so
 * it outlives the window; this file only sends it and shows where it is. */

enum { RUN_ON_THIS_COMPUTER, RUN_ON_BATCH };

/* Locally every path is kept for the fan chart; on Batch only terminal values, in shards. */
#define LOCAL_MAX_PATHS 10000
#define BATCH_MAX_PATHS 10000000

gboolean
_sextant_portfolio_window_runs_on_batch (SextantPortfolioWindow *self)
{
  return gtk_drop_down_get_selected (self->run_on_dropdown) == RUN_ON_BATCH;
}

static GSettings *
settings_of (SextantPortfolioWindow *self)
{
  return sextant_workspace_window_get_settings (SEXTANT_WORKSPACE_WINDOW (self));
}

static void
update_run_on_labels (SextantPortfolioWindow *self)
{
  g_autofree char *queue = g_settings_get_string (settings_of (self), "batch-queue");
  g_autofree char *engine = g_settings_get_string (settings_of (self), "scenario-engine");
  g_autofree char *batch = NULL;
  const char *labels[3] = { _("This computer"), NULL, NULL };

  if (*queue != '\0')
    /* Translators: where scenarios run; %s is the user's AWS Batch job queue */
    batch = g_strdup_printf (_("AWS Batch (queue %s)"), queue);
  else
    batch = g_strdup (_("AWS Batch (set a queue in Preferences)"));
  labels[1] = batch;
  self->updating_run_on = TRUE;
  gtk_string_list_splice (self->run_on_choices, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->run_on_choices)), labels);
  gtk_drop_down_set_selected (self->run_on_dropdown,
                              g_str_equal (engine, "batch") ? RUN_ON_BATCH : RUN_ON_THIS_COMPUTER);
  self->updating_run_on = FALSE;
}

static void
run_on_changed_cb (SextantPortfolioWindow *self)
{
  gboolean batch = _sextant_portfolio_window_runs_on_batch (self);
  GtkAdjustment *paths = gtk_spin_button_get_adjustment (self->paths_spin);

  gtk_adjustment_set_upper (paths, batch ? BATCH_MAX_PATHS : LOCAL_MAX_PATHS);
  if (gtk_adjustment_get_value (paths) > gtk_adjustment_get_upper (paths))
    gtk_adjustment_set_value (paths, gtk_adjustment_get_upper (paths));
  /* the choices being filled in (or the model set at init) is no choice of the user's */
  if (!self->updating_run_on && self->monitor != NULL)
    g_settings_set_string (settings_of (self), "scenario-engine", batch ? "batch" : "local");
  _sextant_portfolio_window_update_actions (self);
}

/* The result: the terminal values' percentiles the report holds for the one asset, the
 * portfolio. */
static char *
describe_result (SextantPortfolioWindow *self,
                 const char             *report)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *asset, *terminal;
  JsonArray *assets;
  JsonNode *node;
  g_autofree char *median = NULL, *low = NULL, *high = NULL;
  g_autofree char *days = NULL, *paths = NULL;

  if (!json_parser_load_from_data (parser, report, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup (_("The stored result cannot be read."));
  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "assets");
  assets = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  node = assets != NULL && json_array_get_length (assets) > 0 ? json_array_get_element (assets, 0) : NULL;
  asset = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  node = asset != NULL ? json_object_get_member (asset, "terminal") : NULL;
  terminal = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (terminal == NULL)
    return g_strdup (_("The stored result cannot be read."));
  median = sextant_format_money (json_object_get_double_member_with_default (terminal, "p50", NAN),
                                 self->base_currency, 0);
  low = sextant_format_money (json_object_get_double_member_with_default (terminal, "p05", NAN),
                              self->base_currency, 0);
  high = sextant_format_money (json_object_get_double_member_with_default (terminal, "p95", NAN),
                               self->base_currency, 0);
  /* numbers formatted first: xgettext cannot read a msgid through G_GINT64_FORMAT */
  days = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (root, "steps", 0));
  paths = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member_with_default (root, "paths", 0));
  /* Translators: the horizon in days and the number of paths, then the 5th percentile, median and
   * 95th percentile of the portfolio's simulated value */
  return g_strdup_printf (_("After %s trading days (%s paths on AWS Batch): median %s, 5th percentile %s, "
                            "95th percentile %s."), days, paths, median, low, high);
}

static char *
describe_cost (SextantPortfolioWindow      *self,
               const SextantComputeJobInfo *info)
{
  if (isnan (info->vcpu_seconds) && info->following)
    return NULL;
  return sextant_batch_engine_describe_cost (info->vcpu_seconds,
                                             g_settings_get_double (settings_of (self), "batch-vcpu-hour-price"));
}

static char *
describe_status (const SextantComputeJobInfo *info)
{
  const char *id = info->engine_job_id != NULL ? info->engine_job_id : "…";

  if (g_strcmp0 (info->status, "SUBMITTING") == 0)
    /* Translators: %s is an AWS Batch job queue */
    return g_strdup_printf (_("Sending the job to AWS Batch (queue %s)…"),
                            info->queue != NULL ? info->queue : "");
  if (g_strcmp0 (info->status, "CANCELLED") == 0)
    /* Translators: %s is an AWS Batch job id */
    return g_strdup_printf (_("AWS Batch job %s was cancelled and terminated."), id);
  /* Translators: an AWS Batch job id, its state (RUNNING, SUCCEEDED…), then its shards' counts */
  return g_strdup_printf (_("AWS Batch job %s: %s — %u of %u shards done, %u running, %u failed."),
                          id, info->status, info->n_succeeded, info->shards, info->n_running,
                          info->n_failed);
}

static void
show_batch (SextantPortfolioWindow *self)
{
  const SextantComputeJobInfo *info = sextant_compute_job_monitor_get_latest (self->monitor);
  g_autofree char *status = NULL;
  g_autofree char *result = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->batch_box, info != NULL);
  /* Batch shards keep terminal values only: without a local run's fan there is no chart to
   * show, and an empty card under the job's figures reads as something failed to draw. */
  gtk_widget_set_visible (GTK_WIDGET (self->fan_view),
                          info == NULL || sextant_chart_view_has_chart (self->fan_view));
  _sextant_portfolio_window_update_actions (self);
  if (info == NULL)
    return;
  status = describe_status (info);
  gtk_label_set_text (self->batch_status_label, status);
  gtk_widget_set_visible (self->batch_cancel_button, info->following);
  gtk_progress_bar_set_fraction (self->batch_progress,
                                 info->shards > 0 ? (double) info->n_succeeded / info->shards : 0);
  if (info->result != NULL)
    result = describe_result (self, info->result);
  else if (info->error != NULL)
    /* Translators: why an AWS Batch job ended without a result */
    result = g_strdup_printf (_("No result: %s"), info->error);
  cost = describe_cost (self, info);
  text = g_strjoin ("\n", result != NULL ? result : "", cost != NULL ? cost : "", NULL);
  g_strstrip (text);
  gtk_label_set_text (self->batch_result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->batch_result_label), *text != '\0');
}

/* The keys: as the chat window finds them (keyring, environment, ~/.aws), resolved
 * asynchronously, then the job is sent or followed. An API key for Bedrock cannot sign S3. */

typedef struct
{
  GWeakRef                window;
  SextantAwsCredentialsProvider *provider;
  char                   *region;
  SextantScenarioJob     *job;        /* to send, or NULL to resume */
  SextantBatchSettings    settings;
  char                   *queue;
  char                   *definition;
  char                   *bucket;
  char                   *prefix;
} KeysData;

static void
keys_data_free (KeysData *data)
{
  g_weak_ref_clear (&data->window);
  g_clear_object (&data->provider);
  g_free (data->region);
  g_clear_pointer (&data->job, sextant_scenario_job_free);
  g_free (data->queue);
  g_free (data->definition);
  g_free (data->bucket);
  g_free (data->prefix);
  g_free (data);
}

static void
keys_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KeysData *data = user_data;
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SextantPortfolioWindow) self = NULL;

  credentials = sextant_aws_credentials_provider_resolve_finish (data->provider, result, &error);
  /* the window is gone: a job it was sending is not sent (Run was never seen to work) */
  if ((self = g_weak_ref_get (&data->window)) == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      keys_data_free (data);
      return;
    }
  if (credentials != NULL && credentials->access_key_id == NULL)
    {
      g_clear_pointer (&credentials, sextant_aws_credentials_free);
      g_set_error (&error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_CREDENTIALS,
                   _("S3 and Batch need an AWS access key (a Bedrock API key does not sign them)"));
    }
  if (credentials == NULL)
    {
      if (data->job != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("The job was not sent to AWS Batch: %s"), error->message);

          _sextant_portfolio_window_set_status (self, text);
        }
      else
        g_debug ("Not following the Batch job: %s", error->message);
      keys_data_free (data);
      return;
    }
  if (data->job != NULL)
    {
      data->settings.region = data->region;
      data->settings.queue = data->queue;
      data->settings.definition = data->definition;
      data->settings.bucket = data->bucket;
      data->settings.prefix = data->prefix;
      sextant_compute_job_monitor_submit (self->monitor, g_steal_pointer (&data->job), &data->settings,
                                          credentials);
      _sextant_portfolio_window_set_status (self, _("Scenario job sent to AWS Batch."));
    }
  else
    sextant_compute_job_monitor_resume (self->monitor, data->region, credentials);
  keys_data_free (data);
}

static void
resolve_keys (SextantPortfolioWindow *self,
              KeysData               *data)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  g_autofree char *region = g_settings_get_string (settings_of (self), "aws-region");
  g_autofree char *profile = g_settings_get_string (settings_of (self), "aws-profile");
  g_autoptr(SextantAwsConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  if ((config = sextant_aws_config_load_for_profile (NULL, region, profile, &error)) == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("AWS Batch cannot be reached: %s"), error->message);

      _sextant_portfolio_window_set_status (self, text);
      keys_data_free (data);
      return;
    }
  g_weak_ref_init (&data->window, self);
  data->region = g_strdup (config->region);
  data->provider = sextant_aws_credentials_provider_new (sextant_workspace_get_secret_store (workspace), config);
  sextant_aws_credentials_provider_resolve_async (data->provider, self->keys_cancellable, keys_cb, data);
}

static SextantScenarioJob *
job_from_request (const SextantScenarioRequest *request)
{
  SextantScenarioJob *job = g_new0 (SextantScenarioJob, 1);
  gboolean heston = request->model == SEXTANT_SCENARIO_MODEL_HESTON;
  /* per trading day, as the job's periods are; Heston's variance reverts to its long-run level θ
   * from the window's v0, as in a run on this computer */
  double variance = (heston ? request->theta : request->annual_volatility * request->annual_volatility) / 252;
  const char *symbols[] = { "Portfolio", NULL };

  job->model = g_strdup (heston ? "heston" : "gbm");
  job->paths = request->n_paths;
  job->steps = request->n_steps;
  job->seed = (gint64) request->seed;
  job->kappa = request->kappa;
  job->xi = request->xi;
  job->rho = request->rho;
  job->v0 = heston ? request->v0 / 252 : 0;
  job->source = g_strdup ("Sextant Portfolio window");
  job->n_assets = 1;
  job->symbols = g_strdupv ((char **) symbols);
  job->s0 = g_new (double, 1);
  job->mean = g_new (double, 1);
  job->cov = g_new (double, 1);
  job->s0[0] = request->start_value;
  /* E[S_t] = S₀ e^{rt}: a mean log return of r − σ²/2 a year */
  job->mean[0] = request->annual_return / 252 - variance / 2;
  job->cov[0] = variance;
  return job;
}

/* Sends the window's scenario request to AWS Batch, once the keys are found. */
void
_sextant_portfolio_window_submit_batch (SextantPortfolioWindow       *self,
                                        const SextantScenarioRequest *request)
{
  GSettings *settings = settings_of (self);
  KeysData *data = g_new0 (KeysData, 1);

  data->queue = g_strstrip (g_settings_get_string (settings, "batch-queue"));
  data->definition = g_strstrip (g_settings_get_string (settings, "batch-job-definition"));
  data->bucket = g_strstrip (g_settings_get_string (settings, "batch-bucket"));
  data->prefix = g_settings_get_string (settings, "batch-prefix");
  data->settings.shards = g_settings_get_uint (settings, "batch-shards");
  if (*data->queue == '\0' || *data->definition == '\0' || *data->bucket == '\0')
    {
      _sextant_portfolio_window_set_status (self, _("Set the AWS Batch job queue, job definition and S3 bucket in "
                                                    "Preferences first."));
      keys_data_free (data);
      return;
    }
  data->job = job_from_request (request);
  _sextant_portfolio_window_set_status (self, _("Sending the job to AWS Batch…"));
  resolve_keys (self, data);
}

static void
cancel_batch_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SextantPortfolioWindow *self = SEXTANT_PORTFOLIO_WINDOW (widget);

  if (sextant_compute_job_monitor_cancel (self->monitor))
    _sextant_portfolio_window_set_status (self, _("Terminating the AWS Batch job…"));
}

gboolean
_sextant_portfolio_window_batch_busy (SextantPortfolioWindow *self)
{
  return self->monitor != NULL && sextant_compute_job_monitor_get_busy (self->monitor);
}

void
_sextant_portfolio_window_class_init_batch (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, run_on_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, batch_box);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, batch_status_label);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, batch_progress);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, batch_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SextantPortfolioWindow, batch_result_label);
  gtk_widget_class_bind_template_callback (widget_class, run_on_changed_cb);
  gtk_widget_class_install_action (widget_class, "win.cancel-batch", NULL, cancel_batch_action);
}

void
_sextant_portfolio_window_init_batch (SextantPortfolioWindow *self)
{
  self->run_on_choices = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->run_on_dropdown, G_LIST_MODEL (self->run_on_choices));
  self->keys_cancellable = g_cancellable_new ();
}

/* Once the workspace and settings are there: the workspace's latest job, followed again if
 * Sextant was quit while it ran. */
void
_sextant_portfolio_window_connect_batch (SextantPortfolioWindow *self)
{
  SextantWorkspace *workspace = sextant_workspace_window_get_workspace (SEXTANT_WORKSPACE_WINDOW (self));
  const SextantComputeJobInfo *info;

  self->monitor = g_object_ref (sextant_compute_job_monitor_get_for_workspace (workspace));
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (show_batch), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings_of (self), "changed::batch-queue", G_CALLBACK (update_run_on_labels), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings_of (self), "changed::batch-vcpu-hour-price", G_CALLBACK (show_batch), self,
                           G_CONNECT_SWAPPED);
  update_run_on_labels (self);
  run_on_changed_cb (self);
  show_batch (self);
  info = sextant_compute_job_monitor_get_latest (self->monitor);
  if (info != NULL && !info->following &&
      (info->result == NULL ? g_strcmp0 (info->status, "FAILED") != 0 && info->error == NULL
                            : isnan (info->vcpu_seconds)))
    resolve_keys (self, g_new0 (KeysData, 1));
}

void
_sextant_portfolio_window_dispose_batch (SextantPortfolioWindow *self)
{
  g_cancellable_cancel (self->keys_cancellable);
  g_clear_object (&self->keys_cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->run_on_choices);
}

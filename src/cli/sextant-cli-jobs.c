#define G_LOG_DOMAIN "sextant-cli-jobs"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-aws.h"
#include "sextant-cli-common.h"
#include "sextant-cli-commands.h"

#define COMMAND "jobs"

/* `sextant-cli jobs list|show|cancel ID`: the scenario runs sent to AWS Batch from this
 * database, followed from any terminal (show asks Batch for the state now). */

static void
add_job (JsonBuilder             *b,
         const SextantComputeJob *job)
{
  json_builder_begin_object (b);
  sextant_json_add_int (b, "id", job->id);
  sextant_json_add_string (b, "engine", job->engine);
  sextant_json_add_string (b, "engine_job_id", job->engine_job_id);
  sextant_json_add_string (b, "status", job->status);
  sextant_json_add_int (b, "shards", job->shards);
  sextant_json_add_int (b, "shards_succeeded", job->shards_succeeded);
  sextant_json_add_int (b, "shards_failed", job->shards_failed);
  sextant_json_add_string (b, "queue", job->queue);
  sextant_json_add_string (b, "job_url", job->job_url);
  sextant_json_add_string (b, "job_sha256", job->job_sha256);
  sextant_json_add_int (b, "submitted_at", job->submitted_at);
  json_builder_end_object (b);
}

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
}

static gboolean
list_jobs (SextantStore      *store,
           SextantCliFormat   format,
           GError           **error)
{
  g_autoptr(GPtrArray) jobs = sextant_compute_job_store_list (store, error);

  if (jobs == NULL)
    return FALSE;
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < jobs->len; i++)
        add_job (b, jobs->pdata[i]);
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      sextant_cli_print_json (root);
      return TRUE;
    }
  if (jobs->len == 0)
    {
      printf ("No jobs sent to AWS Batch from this database\n");
      return TRUE;
    }
  printf ("%4s  %-36s  %-9s  %-13s  %s\n", "id", "Batch job id", "status", "shards ok/all",
          "submitted");
  for (guint i = 0; i < jobs->len; i++)
    {
      const SextantComputeJob *job = jobs->pdata[i];
      g_autofree char *when = format_time (job->submitted_at);
      g_autofree char *shards = g_strdup_printf ("%u/%u", job->shards_succeeded, job->shards);

      printf ("%4" G_GINT64_FORMAT "  %-36s  %-9s  %-13s  %s\n", job->id, job->engine_job_id,
              job->status, shards, when);
    }
  return TRUE;
}

static gboolean
show_job (SextantStore      *store,
          const char        *id,
          SextantCliFormat   format,
          GError           **error)
{
  g_autoptr(SextantComputeJob) job = sextant_compute_job_store_find (store, id, error);
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autoptr(SextantBatchJobState) state = NULL;
  g_autofree char *region = NULL;
  g_autofree char *when = NULL;

  if (job == NULL)
    return FALSE;
  if (!sextant_cli_aws_resolve (&region, &credentials, error) ||
      (state = sextant_batch_engine_describe (job->region != NULL ? job->region : region,
                                              credentials, job->engine_job_id, error)) == NULL)
    return FALSE;
  sextant_compute_job_store_update (store, job->id, state, NULL);
  sextant_compute_job_free (g_steal_pointer (&job));
  if ((job = sextant_compute_job_store_find (store, id, error)) == NULL)
    return FALSE;
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_job (b, job);
      root = json_builder_get_root (b);
      if (job->result != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, job->result, -1, NULL))
            json_object_set_member (json_node_get_object (root), "result",
                                    json_node_copy (json_parser_get_root (parser)));
        }
      sextant_cli_print_json (root);
      return TRUE;
    }
  when = format_time (job->submitted_at);
  printf ("Job %" G_GINT64_FORMAT ": AWS Batch job %s in queue %s\n", job->id,
          job->engine_job_id, job->queue != NULL ? job->queue : "?");
  printf ("Status: %s%s%s\n", state->status, state->status_reason != NULL ? " — " : "",
          state->status_reason != NULL ? state->status_reason : "");
  printf ("Shards: %u of %u succeeded, %u running, %u failed\n", job->shards_succeeded,
          job->shards, state->n_running, job->shards_failed);
  printf ("Submitted: %s\nJob file: %s (sha256 %s)\n", when, job->job_url, job->job_sha256);
  if (state->started_at > 0 && state->stopped_at >= state->started_at)
    printf ("Ran for: %.1f s\n", (state->stopped_at - state->started_at) / 1000.0);
  if (job->result != NULL)
    printf ("Merged result stored: sextant-cli jobs show %s --format json\n", id);
  return TRUE;
}

static gboolean
cancel_job (SextantStore  *store,
            const char    *id,
            GError       **error)
{
  g_autoptr(SextantComputeJob) job = sextant_compute_job_store_find (store, id, error);
  g_autoptr(SextantAwsCredentials) credentials = NULL;
  g_autofree char *region = NULL;

  if (job == NULL ||
      !sextant_cli_aws_resolve (&region, &credentials, error) ||
      !sextant_batch_engine_terminate (job->region != NULL ? job->region : region, credentials,
                                       job->engine_job_id, "Cancelled with sextant-cli jobs cancel",
                                       error))
    return FALSE;
  printf ("Cancelled AWS Batch job %s: its shards are being terminated\n", job->engine_job_id);
  return TRUE;
}

int
sextant_cli_jobs_main (int    argc,
                       char **argv)
{
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, "text (default) or json", "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("list | show ID | cancel ID — scenario jobs sent to AWS Batch");
  g_autoptr(SextantStore) store = NULL;
  g_autoptr(GError) error = NULL;
  SextantCliFormat format;
  int exit_code = 0;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, COMMAND, &exit_code))
    return exit_code;
  if (argc < 2 || (g_str_equal (argv[1], "list") && argc != 2) ||
      ((g_str_equal (argv[1], "show") || g_str_equal (argv[1], "cancel")) && argc != 3) ||
      (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "show") &&
       !g_str_equal (argv[1], "cancel")))
    return sextant_cli_usage_error (context, COMMAND,
                                    "give list, show ID or cancel ID (ID from jobs list: the "
                                    "number or the Batch job id)");
  if (!sextant_cli_parse_format (format_text,
                                 (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON),
                                 &format, &error) ||
      (store = sextant_schema_open_default (&error)) == NULL)
    return sextant_cli_fail (-1, COMMAND, error);
  if (g_str_equal (argv[1], "list"))
    ok = list_jobs (store, format, &error);
  else if (g_str_equal (argv[1], "show"))
    ok = show_job (store, argv[2], format, &error);
  else
    ok = cancel_job (store, argv[2], &error);
  if (!ok)
    return sextant_cli_fail (-1, COMMAND, error);
  return SEXTANT_CLI_EXIT_OK;
}

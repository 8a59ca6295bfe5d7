#define G_LOG_DOMAIN "sextant-cli-ask"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sextant-core.h"
#include "sextant-cli-common.h"
#include "sextant-cli-chat.h"
#include "sextant-cli-commands.h"

/* `sextant-cli ask`: one question to Bedrock, the answer streamed to stdout as it arrives. On a
 * failure after partial output the text stays on stdout and the error goes to stderr, so a
 * pipeline keeps what was received and the exit code still says it failed. */

/* The same default as the app's `bedrock-model-id` setting: Claude through the US cross-region
 * inference profile, which newer Claude models require for on-demand use. */
#define DEFAULT_MODEL "us.anthropic.claude-sonnet-4-20250514-v1:0"

/* The app's setting wins when its schema is installed, so the CLI and the windows ask the same
 * model unless --model says otherwise. */
static char *
dup_default_model (void)
{
  g_autoptr(GSettings) settings = sextant_cli_dup_app_settings ();
  g_autofree char *model = settings != NULL ? g_settings_get_string (settings, "bedrock-model-id") : NULL;

  return model != NULL && *model != '\0' ? g_steal_pointer (&model) : g_strdup (DEFAULT_MODEL);
}

static void
retrying_cb (SextantConverseResult *result,
             guint                  failed_attempt,
             guint                  max_attempts,
             guint                  delay_ms,
             const GError          *error,
             SextantCliStream      *stream)
{
  sextant_cli_print_retry (failed_attempt, max_attempts, delay_ms, error->message);
}

static void
text_delta_cb (SextantConverseResult *result,
               guint                  index,
               const char            *text,
               SextantCliStream      *stream)
{
  sextant_cli_stream_text (stream, text);
}

static SextantBedrockClient *
make_client (const char          *region,
             const char * const  *fallbacks,
             GError             **error)
{
  g_autoptr(SextantAwsConfig) config = sextant_aws_config_load (region, NULL, error);
  g_autoptr(SextantSecretStore) store = NULL;
  g_autofree char *keyring_problem = NULL;
  SextantBedrockClient *client;
  const char *base_delay = g_getenv ("SEXTANT_BEDROCK_RETRY_BASE_DELAY_MS");

  if (config == NULL)
    return NULL;
  store = sextant_secret_store_new ();
  sextant_secret_store_set_timeout (store, 3000);
  client = sextant_bedrock_connect (store, config, &keyring_problem, error);
  if (keyring_problem != NULL)
    fprintf (stderr, "sextant-cli ask: %s; using the environment and ~/.aws files instead\n", keyring_problem);
  if (client == NULL)
    return NULL;
  if (!sextant_bedrock_client_add_fallback_specs (client, fallbacks, error))
    {
      g_object_unref (client);
      return NULL;
    }
  /* For tests of the retry path; never needed by users. */
  if (base_delay != NULL)
    g_object_set (client, "retry-base-delay-ms", (guint)atoi (base_delay), NULL);

  return client;
}

/* Model ids (anthropic.claude-…, us.anthropic.claude-…) have a provider prefix and a dot;
 * ARNs start with arn:. Anything else would only come back from Bedrock as a validation error
 * after the keyring and the network were asked. */
static gboolean
valid_model_id (const char *model)
{
  gsize length = strlen (model);

  if (length == 0 || length > 2048 || model[0] == '/' ||
      (strchr (model, '.') == NULL && !g_str_has_prefix (model, "arn:")))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (model[i]) && strchr (".:/_-", model[i]) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  /* Ctrl-C: stop cleanly so the partial answer is kept and ends with a newline. */
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
converse (SextantBedrockClient    *client,
          const char              *model,
          SextantConverseRequest  *request,
          SextantConverseResult   *result,
          gboolean                 stream,
          GError                 **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) interrupt = g_unix_signal_source_new (SIGINT);
  g_autoptr(GSource) terminate = g_unix_signal_source_new (SIGTERM);
  g_autoptr(GAsyncResult) async_result = NULL;
  gboolean ok;

  g_main_context_push_thread_default (context);
  g_source_set_callback (interrupt, interrupt_cb, cancellable, NULL);
  g_source_attach (interrupt, context);
  g_source_set_callback (terminate, interrupt_cb, cancellable, NULL);
  g_source_attach (terminate, context);
  sextant_bedrock_client_converse_async (client, model, request, result, stream, cancellable, done_cb, &async_result);
  while (async_result == NULL)
    g_main_context_iteration (context, TRUE);
  ok = sextant_bedrock_client_converse_finish (client, async_result, error);
  g_source_destroy (interrupt);
  g_source_destroy (terminate);
  g_main_context_pop_thread_default (context);

  return ok;
}

static int
report (SextantConverseResult *result,
        SextantCliFormat       format,
        SextantCliStream      *stream,
        const GError          *error)
{
  if (format == SEXTANT_CLI_FORMAT_JSON)
    {
      g_autoptr(JsonNode) node = sextant_converse_result_to_json (result);

      sextant_cli_print_json (node);
    }
  else
    sextant_cli_stream_end_line (stream);
  fflush (stdout);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fprintf (stderr, "sextant-cli ask: interrupted; the answer above is incomplete\n");
      return 128 + SIGINT;
    }
  if (error != NULL)
    return sextant_cli_fail (-1, "ask", error);

  return SEXTANT_CLI_EXIT_OK;
}

int
sextant_cli_ask_main (int    argc,
                      char **argv)
{
  g_autofree char *model = NULL, *region = NULL, *system = NULL, *format_text = NULL;
  g_auto(GStrv) fallbacks = NULL;
  gboolean no_stream = FALSE, tools = FALSE;
  gint64 conversation = 0;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model, "Model id, inference profile id or ARN", "ID" },
    { "region", 'r', 0, G_OPTION_ARG_STRING, &region, "AWS region (default: AWS_REGION, profile)", "R" },
    { "fallback", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fallbacks,
      "Where to go when the region is throttled or unavailable, in order (repeatable): REGION or REGION=MODEL",
      "ROUTE" },
    { "system", 's', 0, G_OPTION_ARG_STRING, &system, "System prompt", "TEXT" },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &no_stream, "Use Converse instead of ConverseStream", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text, "Output format: text or json", "FORMAT" },
    /* Agent (issue 6) */
    { "tools", 't', 0, G_OPTION_ARG_NONE, &tools,
      "Let the model call Sextant's tools and store the conversation; answers offline without credentials", NULL },
    { "conversation", 'c', 0, G_OPTION_ARG_INT64, &conversation,
      "Continue the stored conversation ID (implies --tools)", "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("QUESTION — ask Amazon Bedrock");
  g_autoptr(SextantBedrockClient) client = NULL;
  g_autoptr(SextantConverseRequest) request = NULL;
  g_autoptr(SextantConverseResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *question = NULL;
  SextantCliFormat format;
  SextantCliStream stream = { FALSE, FALSE };
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!sextant_cli_parse_options (context, &argc, &argv, "ask", &exit_code))
    return exit_code;
  if (!sextant_cli_parse_format (format_text, (1u << SEXTANT_CLI_FORMAT_TEXT) | (1u << SEXTANT_CLI_FORMAT_JSON), &format, &error))
    return sextant_cli_usage_error (context, "ask", error->message);
  if (argc < 2)
    return sextant_cli_usage_error (context, "ask", "a QUESTION is required");
  if (model != NULL && !valid_model_id (model))
    return sextant_cli_usage_error (context, "ask", "--model takes a model id, inference profile id "
                                    "or ARN, such as anthropic.claude-3-haiku-20240307-v1:0");
  if (system != NULL && system[strspn (system, " \t\r\n")] == '\0')
    return sextant_cli_usage_error (context, "ask", "--system needs the text of a system prompt");
  for (guint i = 0; fallbacks != NULL && fallbacks[i] != NULL; i++)
    if (!g_regex_match_simple ("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}(=[A-Za-z0-9.:/_-]+)?$", fallbacks[i], 0, 0))
      return sextant_cli_usage_error (context, "ask", "--fallback takes REGION or REGION=MODEL, such as "
                                      "us-west-2 or us-west-2=global.anthropic.claude-sonnet-4-20250514-v1:0");
  question = g_strjoinv (" ", argv + 1);
  if (question[strspn (question, " \t\r\n")] == '\0')
    return sextant_cli_usage_error (context, "ask", "the QUESTION is empty");
  if (tools || conversation != 0)
    {
      if (system != NULL || no_stream)
        return sextant_cli_usage_error (context, "ask", "--system and --no-stream cannot be used with --tools "
                                        "or --conversation (the conversation's role sets the prompt)");
      client = make_client (region, (const char * const *) fallbacks, &error);
      return sextant_cli_ask_with_tools (client, error, question, model != NULL ? model : DEFAULT_MODEL,
                                         conversation, format);
    }
  if ((client = make_client (region, (const char * const *) fallbacks, &error)) == NULL)
    return sextant_cli_fail (-1, "ask", error);

  request = sextant_converse_request_new ();
  sextant_converse_request_set_system (request, system);
  sextant_converse_request_add_user_text (request, question);
  result = sextant_converse_result_new ();
  if (format == SEXTANT_CLI_FORMAT_TEXT)
    g_signal_connect (result, "text-delta", G_CALLBACK (text_delta_cb), &stream);
  g_signal_connect (result, "retrying", G_CALLBACK (retrying_cb), &stream);
  if (model == NULL)
    model = dup_default_model ();
  converse (client, model, request, result, !no_stream, &error);

  return report (result, format, &stream, error);
}

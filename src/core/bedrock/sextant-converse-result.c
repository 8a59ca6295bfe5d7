#define G_LOG_DOMAIN "sextant-converse-result"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-converse-result.h"

/* The answer of one Converse or ConverseStream call, filled as it arrives. It outlives a failed
 * call on purpose: whatever text was received stays readable (get_partial_text) so that a
 * throttled or truncated stream never loses output, and is_complete() stays FALSE then. */

struct _SextantConverseResult
{
  GObject                 parent_instance;
  SextantConverseMessage *message;
  GString                *text;
  GPtrArray              *tool_inputs;
  GPtrArray              *block_texts;
  gboolean                texts_dirty;
  char                   *stop_reason;
  SextantConverseUsage    usage;
  gint64                  latency_ms;
  gint64                  first_event_time;
  char                   *region;
  char                   *model_id;
  char                   *request_id;
  guint                   n_events;
  guint                   got_stop : 1;
  guint                   got_metadata : 1;
  guint                   complete : 1;
};

G_DEFINE_FINAL_TYPE (SextantConverseResult, sextant_converse_result, G_TYPE_OBJECT)

enum { MESSAGE_START, TEXT_DELTA, TOOL_USE, BLOCK_STOP, MESSAGE_STOP, RETRYING, N_SIGNALS };

static guint signals[N_SIGNALS];

static void
sextant_converse_result_finalize (GObject *object)
{
  SextantConverseResult *self = (SextantConverseResult *)object;

  g_clear_pointer (&self->message, sextant_converse_message_unref);
  g_string_free (self->text, TRUE);
  g_ptr_array_unref (self->tool_inputs);
  g_ptr_array_unref (self->block_texts);
  g_free (self->stop_reason);
  g_free (self->region);
  g_free (self->model_id);
  g_free (self->request_id);

  G_OBJECT_CLASS (sextant_converse_result_parent_class)->finalize (object);
}

static void
sextant_converse_result_class_init (SextantConverseResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_converse_result_finalize;

  /**
   * SextantConverseResult::message-start:
   * @role: the role of the answer, normally `assistant`
   */
  signals[MESSAGE_START] = g_signal_new ("message-start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SextantConverseResult::text-delta:
   * @index: the content block index
   * @text: the new text, to append to what came before
   */
  signals[TEXT_DELTA] = g_signal_new ("text-delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /**
   * SextantConverseResult::tool-use:
   * @index: the content block index
   * @block: (type gpointer): the complete #SextantContentBlock with its parsed input
   */
  signals[TOOL_USE] = g_signal_new ("tool-use", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_POINTER);
  signals[BLOCK_STOP] = g_signal_new ("block-stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[MESSAGE_STOP] = g_signal_new ("message-stop", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SextantConverseResult::retrying:
   * @failed_attempt: the attempt that failed, from 1
   * @max_attempts: how many attempts the client makes in all
   * @delay_ms: how long the client waits before the next attempt
   * @error: (type GLib.Error): why the attempt failed (throttling, a 5xx, a dropped connection)
   *
   * Emitted when an attempt failed before any output and another is scheduled, after the
   * result was reset: a window can count down instead of looking stuck.
   */
  signals[RETRYING] = g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT,
                                    G_TYPE_ERROR);
}

static void
free_gstring (gpointer data)
{
  if (data != NULL)
    g_string_free (data, TRUE);
}

static void
sextant_converse_result_init (SextantConverseResult *self)
{
  self->message = sextant_converse_message_new ("assistant");
  self->text = g_string_new (NULL);
  self->tool_inputs = g_ptr_array_new_with_free_func (free_gstring);
  self->block_texts = g_ptr_array_new_with_free_func (free_gstring);
}

SextantConverseResult *
sextant_converse_result_new (void)
{
  return g_object_new (SEXTANT_TYPE_CONVERSE_RESULT, NULL);
}

/* Streamed text is appended to one GString per block (a long answer has thousands of deltas)
 * and copied into the message's blocks only when someone looks. */
static void
sync_block_texts (SextantConverseResult *self)
{
  if (!self->texts_dirty)
    return;
  for (guint i = 0; i < self->block_texts->len; i++)
    {
      GString *buffer = self->block_texts->pdata[i];
      SextantContentBlock *block = sextant_converse_message_get_block (self->message, i);

      if (buffer == NULL || block == NULL)
        continue;
      g_free (block->text);
      block->text = g_strndup (buffer->str, buffer->len);
    }
  self->texts_dirty = FALSE;
}

/**
 * sextant_converse_result_get_message:
 *
 * Returns: (transfer none): the assistant message, possibly partial
 */
SextantConverseMessage *
sextant_converse_result_get_message (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  sync_block_texts (self);

  return self->message;
}

/**
 * sextant_converse_result_get_partial_text:
 *
 * Returns: every text delta received so far, joined; valid after a failure too
 */
const char *
sextant_converse_result_get_partial_text (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return self->text->str;
}

const char *
sextant_converse_result_get_stop_reason (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return self->stop_reason;
}

/**
 * sextant_converse_result_stop_reason_is_known:
 *
 * New stop reasons appear over time; they are kept as they come, and this tells the UI
 * whether to show a generic wording.
 */
gboolean
sextant_converse_result_stop_reason_is_known (SextantConverseResult *self)
{
  static const char *known[] = {
    "end_turn", "tool_use", "max_tokens", "stop_sequence", "guardrail_intervened",
    "content_filtered", "malformed_model_output", "malformed_tool_use",
    "model_context_window_exceeded",
  };

  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (self->stop_reason, known[i]) == 0)
      return TRUE;

  return FALSE;
}

const SextantConverseUsage *
sextant_converse_result_get_usage (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return &self->usage;
}

gint64
sextant_converse_result_get_latency_ms (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), -1);

  return self->latency_ms;
}

const char *
sextant_converse_result_get_request_id (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return self->request_id;
}

gboolean
sextant_converse_result_is_complete (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), FALSE);

  return self->complete;
}

/**
 * sextant_converse_result_get_n_events:
 *
 * Returns: how many stream events were delivered; once non-zero the client never retries
 */
guint
sextant_converse_result_get_n_events (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), 0);

  return self->n_events;
}

/**
 * sextant_converse_result_get_first_event_time:
 *
 * Returns: the g_get_monotonic_time() of the first text or tool event, or 0
 */
gint64
sextant_converse_result_get_first_event_time (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), 0);

  return self->first_event_time;
}

/**
 * sextant_converse_result_get_region:
 *
 * Returns: (nullable): the region that answered (the last one asked when none did)
 */
const char *
sextant_converse_result_get_region (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return self->region;
}

/**
 * sextant_converse_result_get_model_id:
 *
 * Returns: (nullable): the model or inference profile id that was called there
 */
const char *
sextant_converse_result_get_model_id (SextantConverseResult *self)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), NULL);

  return self->model_id;
}

void
_sextant_converse_result_set_context (SextantConverseResult *self,
                                      const char            *region,
                                      const char            *model_id,
                                      const char            *request_id)
{
  g_free (self->region);
  g_free (self->model_id);
  g_free (self->request_id);
  self->region = g_strdup (region);
  self->model_id = g_strdup (model_id);
  self->request_id = g_strdup (request_id);
}

void
_sextant_converse_result_retrying (SextantConverseResult *self,
                                   guint                  failed_attempt,
                                   guint                  max_attempts,
                                   guint                  delay_ms,
                                   const GError          *error)
{
  g_return_if_fail (SEXTANT_IS_CONVERSE_RESULT (self));
  g_return_if_fail (error != NULL);

  g_signal_emit (self, signals[RETRYING], 0, failed_attempt, max_attempts, delay_ms, error);
}

/* Before a retry: only called when nothing was delivered to the caller. */
void
_sextant_converse_result_reset (SextantConverseResult *self)
{
  g_clear_pointer (&self->message, sextant_converse_message_unref);
  self->message = sextant_converse_message_new ("assistant");
  g_string_truncate (self->text, 0);
  g_ptr_array_set_size (self->tool_inputs, 0);
  g_ptr_array_set_size (self->block_texts, 0);
  self->texts_dirty = FALSE;
  g_clear_pointer (&self->stop_reason, g_free);
  memset (&self->usage, 0, sizeof self->usage);
  self->latency_ms = 0;
  self->n_events = 0;
  self->first_event_time = 0;
  self->got_stop = self->got_metadata = self->complete = FALSE;
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* A count written as 1e300 (or NaN) would overflow the cast: such a count means nothing. */
      if (!(value > -9.2e18 && value < 9.2e18))
        return 0;
      return (gint64) value;
    }

  return 0;
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
read_usage_and_metrics (SextantConverseResult *self,
                        JsonObject            *root)
{
  JsonObject *usage = get_object (root, "usage");
  JsonObject *metrics = get_object (root, "metrics");

  if (usage != NULL)
    {
      self->usage.input_tokens = get_int (usage, "inputTokens");
      self->usage.output_tokens = get_int (usage, "outputTokens");
      self->usage.total_tokens = get_int (usage, "totalTokens");
      self->usage.cache_read_tokens = get_int (usage, "cacheReadInputTokens");
      self->usage.cache_write_tokens = get_int (usage, "cacheWriteInputTokens");
    }
  if (metrics != NULL)
    self->latency_ms = get_int (metrics, "latencyMs");
}

static void
set_stop_reason (SextantConverseResult *self,
                 const char            *reason)
{
  g_free (self->stop_reason);
  self->stop_reason = g_strdup (reason != NULL ? reason : "unknown");
  self->got_stop = TRUE;
}

static JsonNode *
parse_json (const char  *data,
            gsize        len,
            const char  *what,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  /* An empty body parses to no root at all, which JSON_NODE_HOLDS_OBJECT () asserts on. */
  if (!json_parser_load_from_data (parser, data, len, &local) ||
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                   "Bedrock %s is not a JSON object%s%s", what, local ? ": " : "",
                   local ? local->message : "");
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
has_content (SextantConverseResult *self)
{
  sync_block_texts (self);
  for (guint i = 0; i < sextant_converse_message_get_n_blocks (self->message); i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (self->message, i);

      if (block != NULL && (block->type != SEXTANT_CONTENT_TEXT || (block->text != NULL && *block->text)))
        return TRUE;
    }

  return FALSE;
}

static gboolean
check_not_empty (SextantConverseResult  *self,
                 GError                **error)
{
  if (has_content (self))
    return TRUE;
  g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EMPTY_ANSWER,
               "Bedrock returned an empty answer (stop reason “%s”, %" G_GINT64_FORMAT " output tokens)",
               self->stop_reason != NULL ? self->stop_reason : "none", self->usage.output_tokens);
  return FALSE;
}

/**
 * sextant_converse_result_load_response:
 * @self: a fresh result
 * @data: (array length=len): a Converse response body
 * @len: its length
 * @error: return location for an error
 *
 * Unknown keys are ignored (live responses carry unmodeled ones). Emits `text-delta` once per
 * text block and `tool-use` per tool call, so callers handle both APIs alike.
 *
 * Returns: %TRUE if the body holds a non-empty answer
 */
gboolean
sextant_converse_result_load_response (SextantConverseResult  *self,
                                       const char             *data,
                                       gsize                   len,
                                       GError                **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SextantConverseMessage) message = NULL;
  JsonObject *object;
  JsonObject *output;

  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), FALSE);

  if ((root = parse_json (data, len, "Converse response", error)) == NULL)
    return FALSE;
  object = json_node_get_object (root);
  output = get_object (object, "output");
  if (output == NULL || (message = sextant_converse_message_new_from_json (json_object_get_member (output, "message"), error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                             "Bedrock Converse response has no output.message");
      return FALSE;
    }
  g_clear_pointer (&self->message, sextant_converse_message_unref);
  self->message = g_steal_pointer (&message);
  set_stop_reason (self, get_string (object, "stopReason"));
  read_usage_and_metrics (self, object);
  self->got_metadata = TRUE;
  for (guint i = 0; i < sextant_converse_message_get_n_blocks (self->message); i++)
    {
      SextantContentBlock *block = sextant_converse_message_get_block (self->message, i);

      self->n_events++;
      if (block->type == SEXTANT_CONTENT_TEXT && block->text != NULL)
        {
          g_string_append (self->text, block->text);
          g_signal_emit (self, signals[TEXT_DELTA], 0, i, block->text);
        }
      else if (block->type == SEXTANT_CONTENT_TOOL_USE)
        g_signal_emit (self, signals[TOOL_USE], 0, i, block);
    }
  if (!check_not_empty (self, error))
    return FALSE;
  self->complete = TRUE;

  return TRUE;
}

static void
note_event (SextantConverseResult *self)
{
  self->n_events++;
  if (self->first_event_time == 0)
    self->first_event_time = g_get_monotonic_time ();
}

static GString *
buffer_for (GPtrArray *buffers,
            guint      index)
{
  if (index >= buffers->len)
    g_ptr_array_set_size (buffers, index + 1);
  if (buffers->pdata[index] == NULL)
    buffers->pdata[index] = g_string_new (NULL);

  return buffers->pdata[index];
}

static GString *
tool_input_for (SextantConverseResult *self,
                guint                  index)
{
  return buffer_for (self->tool_inputs, index);
}

/* Bounds a contentBlockIndex so a hostile stream cannot make us allocate gigabytes. */
static gboolean
get_index (JsonObject  *payload,
           guint       *index,
           GError     **error)
{
  gint64 value = get_int (payload, "contentBlockIndex");

  if (value < 0 || value > 4096)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                   "Bedrock stream: contentBlockIndex %" G_GINT64_FORMAT " is out of range", value);
      return FALSE;
    }
  *index = value;

  return TRUE;
}

static void
on_block_start (SextantConverseResult *self,
                guint                  index,
                JsonObject            *payload)
{
  JsonObject *tool_use = get_object (get_object (payload, "start"), "toolUse");
  SextantContentBlock *block;

  if (tool_use == NULL)
    return;
  block = sextant_converse_message_ensure_block (self->message, index, SEXTANT_CONTENT_TOOL_USE);
  block->type = SEXTANT_CONTENT_TOOL_USE;
  g_free (block->tool_use_id);
  g_free (block->name);
  block->tool_use_id = g_strdup (get_string (tool_use, "toolUseId"));
  block->name = g_strdup (get_string (tool_use, "name"));
  tool_input_for (self, index);
}

static void
on_block_delta (SextantConverseResult *self,
                guint                  index,
                JsonObject            *payload)
{
  JsonObject *delta = get_object (payload, "delta");
  JsonObject *tool_use = get_object (delta, "toolUse");
  JsonObject *reasoning = get_object (delta, "reasoningContent");
  const char *text = get_string (delta, "text");
  SextantContentBlock *block;

  if (text != NULL)
    {
      /* The live capture opens text blocks with their first delta (PROTOCOL.md §3). */
      block = sextant_converse_message_ensure_block (self->message, index, SEXTANT_CONTENT_TEXT);
      if (block->type != SEXTANT_CONTENT_TEXT)
        return;
      note_event (self);
      g_string_append (buffer_for (self->block_texts, index), text);
      self->texts_dirty = TRUE;
      g_string_append (self->text, text);
      g_signal_emit (self, signals[TEXT_DELTA], 0, index, text);
    }
  else if (tool_use != NULL && get_string (tool_use, "input") != NULL)
    {
      sextant_converse_message_ensure_block (self->message, index, SEXTANT_CONTENT_TOOL_USE);
      g_string_append (tool_input_for (self, index), get_string (tool_use, "input"));
      note_event (self);
    }
  else if (reasoning != NULL && get_string (reasoning, "text") != NULL)
    {
      g_autofree char *old = NULL;

      block = sextant_converse_message_ensure_block (self->message, index, SEXTANT_CONTENT_REASONING);
      old = block->text;
      block->text = g_strconcat (old != NULL ? old : "", get_string (reasoning, "text"), NULL);
      note_event (self);
    }
}

static gboolean
on_block_stop (SextantConverseResult  *self,
               guint                   index,
               GError                **error)
{
  SextantContentBlock *block = sextant_converse_message_get_block (self->message, index);

  if (block != NULL && block->type == SEXTANT_CONTENT_TOOL_USE)
    {
      GString *input = tool_input_for (self, index);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) local = NULL;

      /* The first fragment is often "" and a tool without parameters may send nothing. */
      if (input->len == 0)
        g_string_assign (input, "{}");
      if (!json_parser_load_from_data (parser, input->str, input->len, &local))
        {
          g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PARSE,
                       "Bedrock stream: the input of tool call “%s” (block %u) is not JSON: %s",
                       block->name != NULL ? block->name : "?", index, local->message);
          return FALSE;
        }
      g_clear_pointer (&block->json, json_node_unref);
      block->json = json_node_copy (json_parser_get_root (parser));
      g_signal_emit (self, signals[TOOL_USE], 0, index, block);
    }
  g_signal_emit (self, signals[BLOCK_STOP], 0, index);

  return TRUE;
}

static GError *
error_for_exception_frame (SextantConverseResult     *self,
                           SextantEventStreamMessage *message)
{
  gsize len;
  const guint8 *payload = sextant_event_stream_message_get_payload_data (message, &len);
  g_autoptr(JsonNode) root = parse_json ((const char *)payload, len, "exception", NULL);
  JsonObject *object = root != NULL ? json_node_get_object (root) : NULL;
  g_autofree char *text = NULL;
  const char *original = get_string (object, "originalMessage");
  GError *error;

  text = g_strdup_printf ("%s%s%s (after %" G_GSIZE_FORMAT " characters of output)",
                          get_string (object, "message") != NULL ? get_string (object, "message") : "",
                          original != NULL ? " — " : "", original != NULL ? original : "",
                          self->text->len);
  error = sextant_bedrock_error_new_for_code (sextant_event_stream_message_get_string (message, ":exception-type"),
                                              0, text, self->region, self->model_id);

  return error;
}

static gboolean
dispatch_event (SextantConverseResult  *self,
                const char             *event_type,
                JsonObject             *payload,
                GError                **error)
{
  guint index = 0;

  if (g_strcmp0 (event_type, "messageStart") == 0)
    g_signal_emit (self, signals[MESSAGE_START], 0, get_string (payload, "role"));
  else if (g_strcmp0 (event_type, "contentBlockStart") == 0)
    {
      if (!get_index (payload, &index, error))
        return FALSE;
      on_block_start (self, index, payload);
    }
  else if (g_strcmp0 (event_type, "contentBlockDelta") == 0)
    {
      if (!get_index (payload, &index, error))
        return FALSE;
      on_block_delta (self, index, payload);
    }
  else if (g_strcmp0 (event_type, "contentBlockStop") == 0)
    {
      if (!get_index (payload, &index, error))
        return FALSE;
      return on_block_stop (self, index, error);
    }
  else if (g_strcmp0 (event_type, "messageStop") == 0)
    {
      set_stop_reason (self, get_string (payload, "stopReason"));
      g_signal_emit (self, signals[MESSAGE_STOP], 0, self->stop_reason);
    }
  else if (g_strcmp0 (event_type, "metadata") == 0)
    {
      read_usage_and_metrics (self, payload);
      self->got_metadata = TRUE;
    }
  else
    g_debug ("Ignoring unknown stream event “%s”", event_type);

  return TRUE;
}

/**
 * sextant_converse_result_handle_message:
 * @self: a result
 * @message: one decoded ConverseStream frame
 * @error: return location for the in-stream error
 *
 * Returns: %FALSE for an exception or error frame, or a malformed event
 */
gboolean
sextant_converse_result_handle_message (SextantConverseResult      *self,
                                        SextantEventStreamMessage  *message,
                                        GError                    **error)
{
  const char *message_type = sextant_event_stream_message_get_string (message, ":message-type");
  const char *event_type = sextant_event_stream_message_get_string (message, ":event-type");
  gsize len;
  const guint8 *payload = sextant_event_stream_message_get_payload_data (message, &len);
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), FALSE);

  if (g_strcmp0 (message_type, "exception") == 0)
    {
      g_propagate_error (error, error_for_exception_frame (self, message));
      return FALSE;
    }
  if (g_strcmp0 (message_type, "error") == 0)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_STREAM_EXCEPTION,
                   "Bedrock stream error %s: %s (after %" G_GSIZE_FORMAT " characters of output)",
                   sextant_event_stream_message_get_string (message, ":error-code") ?: "(no code)",
                   sextant_event_stream_message_get_string (message, ":error-message") ?: "(no message)",
                   self->text->len);
      return FALSE;
    }
  if ((root = parse_json ((const char *)payload, len, "stream event", error)) == NULL)
    return FALSE;

  return dispatch_event (self, event_type, json_node_get_object (root), error);
}

/**
 * sextant_converse_result_end_stream:
 * @self: a result
 * @pending_bytes: bytes the decoder still held at EOF (a cut frame)
 * @error: return location for %SEXTANT_BEDROCK_ERROR_TRUNCATED or _EMPTY_ANSWER
 *
 * A stream is complete only with messageStop and metadata; anything else was cut.
 *
 * Returns: %TRUE if the answer is complete and not empty
 */
gboolean
sextant_converse_result_end_stream (SextantConverseResult  *self,
                                    gsize                   pending_bytes,
                                    GError                **error)
{
  g_return_val_if_fail (SEXTANT_IS_CONVERSE_RESULT (self), FALSE);

  if (!self->got_stop || !self->got_metadata || pending_bytes > 0)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_TRUNCATED,
                   "The Bedrock response stream ended before %s; the answer is incomplete "
                   "(%" G_GSIZE_FORMAT " characters received%s)",
                   !self->got_stop ? "messageStop" : "its metadata", self->text->len,
                   pending_bytes > 0 ? ", then a cut frame" : "");
      return FALSE;
    }
  if (!check_not_empty (self, error))
    return FALSE;
  self->complete = TRUE;

  return TRUE;
}

/**
 * sextant_converse_result_to_json:
 *
 * Returns: (transfer full): `{message, text, stopReason, usage{…}, latencyMs, complete}`, the
 *   shape `sextant-cli ask --format json` prints
 */
JsonNode *
sextant_converse_result_to_json (SextantConverseResult *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  sync_block_texts (self);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_value (b, sextant_converse_message_to_json (self->message));
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, self->text->str);
  json_builder_set_member_name (b, "stopReason");
  if (self->stop_reason != NULL)
    json_builder_add_string_value (b, self->stop_reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "inputTokens");
  json_builder_add_int_value (b, self->usage.input_tokens);
  json_builder_set_member_name (b, "outputTokens");
  json_builder_add_int_value (b, self->usage.output_tokens);
  json_builder_set_member_name (b, "totalTokens");
  json_builder_add_int_value (b, self->usage.total_tokens);
  json_builder_set_member_name (b, "cacheReadInputTokens");
  json_builder_add_int_value (b, self->usage.cache_read_tokens);
  json_builder_set_member_name (b, "cacheWriteInputTokens");
  json_builder_add_int_value (b, self->usage.cache_write_tokens);
  json_builder_end_object (b);
  /* Which region and model id answered: with fallbacks it may not be the first one asked. */
  json_builder_set_member_name (b, "region");
  if (self->region != NULL)
    json_builder_add_string_value (b, self->region);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "modelId");
  if (self->model_id != NULL)
    json_builder_add_string_value (b, self->model_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "latencyMs");
  json_builder_add_int_value (b, self->latency_ms);
  json_builder_set_member_name (b, "complete");
  json_builder_add_boolean_value (b, self->complete);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

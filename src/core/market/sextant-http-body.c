#define G_LOG_DOMAIN "sextant-http-body"

#include "config.h"

#include "market/sextant-http-body.h"
#include "market/sextant-market-error.h"

/* Sends a request and reads its answer with a size limit, so that a server or a proxy sending a
 * body of hundreds of megabytes costs no more memory than the limit: a Content-Length over it is
 * refused before reading, a body without one as soon as the bytes read pass it. */

#define READ_CHUNK_SIZE (64 * 1024)

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *received;
  gsize         max_size;
  char         *what;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->received, g_byte_array_unref);
  g_free (data->what);
  g_free (data);
}

static void
return_too_large (GTask    *task,
                  guint64   size,
                  gboolean  announced)
{
  ReadData *data = g_task_get_task_data (task);

  /* Closing the stream drops the connection rather than reading the rest to reuse it. */
  if (data->stream != NULL)
    g_input_stream_close (data->stream, NULL, NULL);
  g_task_return_new_error (task, SEXTANT_MARKET_ERROR, SEXTANT_MARKET_ERROR_TOO_LARGE,
                           "%s is %s%" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT
                           " bytes Sextant reads (HTTP %u)", data->what, announced ? "" : "over ",
                           size, data->max_size, soup_message_get_status (data->message));
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
read_next (GTask *task)
{
  ReadData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      /* Closed at its end, the connection goes back to the session for the next request. */
      g_input_stream_close (data->stream, NULL, NULL);
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->received)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (data->received->len + g_bytes_get_size (chunk) > data->max_size)
    {
      return_too_large (task, data->received->len + g_bytes_get_size (chunk), FALSE);
      return;
    }
  g_byte_array_append (data->received, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (data->message));
  if (length > 0 && (guint64) length > data->max_size)
    {
      return_too_large (task, length, TRUE);
      return;
    }
  data->received = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK_SIZE);
  read_next (g_steal_pointer (&task));
}

/**
 * sextant_http_read_body_async:
 * @session: a session
 * @message: the request
 * @max_size: the largest body read
 * @what: what the body is, for the message of a too-large one (`the answer for MSFT`)
 * @cancellable: (nullable): a cancellable
 * @callback: called with the whole body, or an error
 * @user_data: for @callback
 */
void
sextant_http_read_body_async (SoupSession         *session,
                              SoupMessage         *message,
                              gsize                max_size,
                              const char          *what,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (session, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_task_set_source_tag (task, sextant_http_read_body_async);
  data->message = g_object_ref (message);
  data->max_size = max_size;
  data->what = g_strdup (what);
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, cancellable, send_cb,
                           g_steal_pointer (&task));
}

/**
 * sextant_http_read_body_finish:
 * @result: the result
 * @error: return location: the session's error (network, cancelled), or
 *   %SEXTANT_MARKET_ERROR_TOO_LARGE
 *
 * Returns: (transfer full): the body
 */
GBytes *
sextant_http_read_body_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_async_result_is_tagged (result, sextant_http_read_body_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

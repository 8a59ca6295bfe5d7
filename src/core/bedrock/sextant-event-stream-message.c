#define G_LOG_DOMAIN "sextant-event-stream-message"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-crc32.h"
#include "bedrock/sextant-event-stream-message.h"

/* One `application/vnd.amazon.eventstream` message: decoded by SextantEventStreamDecoder, or
 * built and encoded here (the fake Bedrock server and the tests frame their replies with it). */

#define N_INLINE_HEADERS 4

/* Allocations dominate the cost of small frames (a text delta is about 180 bytes), so a decoded
 * message is one block: the struct, up to four headers inline (Bedrock frames carry three), and
 * an arena after it for the header names and values, then the payload. A GBytes of the payload
 * is only made when asked for; the client reads it in place (get_payload_data). */
struct _SextantEventStreamMessage
{
  gatomicrefcount           ref_count;
  SextantEventStreamHeader *headers;
  guint                     n_headers;
  guint                     n_allocated;
  GBytes                   *payload;
  const guint8             *payload_data;
  gsize                     payload_len;
  guint32                   total_length;
  guint32                   headers_length;
  guint32                   prelude_crc;
  guint32                   message_crc;
  guint8                   *arena;
  gsize                     arena_size;
  gsize                     arena_used;
  SextantEventStreamHeader  inline_headers[N_INLINE_HEADERS];
  guint8                    arena_storage[];
};

G_DEFINE_BOXED_TYPE (SextantEventStreamMessage, sextant_event_stream_message,
                     sextant_event_stream_message_ref, sextant_event_stream_message_unref)

static gboolean
in_arena (SextantEventStreamMessage *self,
          gconstpointer              p)
{
  return self->arena != NULL && (const guint8 *)p >= self->arena && (const guint8 *)p < self->arena + self->arena_size;
}

static SextantEventStreamMessage *
message_alloc (gsize arena_size)
{
  SextantEventStreamMessage *self = g_malloc (sizeof (SextantEventStreamMessage) + arena_size);

  memset (self, 0, sizeof (SextantEventStreamMessage));
  g_atomic_ref_count_init (&self->ref_count);
  self->headers = self->inline_headers;
  self->n_allocated = N_INLINE_HEADERS;
  if (arena_size > 0)
    {
      self->arena = self->arena_storage;
      self->arena_size = arena_size;
    }

  return self;
}

SextantEventStreamMessage *
sextant_event_stream_message_new (void)
{
  return message_alloc (0);
}

/* The wire form of a header is never shorter than its name and value with their NULs, so an
 * arena of the headers length holds them all. */
SextantEventStreamMessage *
_sextant_event_stream_message_new_with_arena (gsize size)
{
  return message_alloc (size);
}

static void
append_header (SextantEventStreamMessage      *self,
               const SextantEventStreamHeader *header)
{
  if (self->n_headers == self->n_allocated)
    {
      self->n_allocated *= 2;
      if (self->headers == self->inline_headers)
        self->headers = g_memdup2 (self->inline_headers, sizeof self->inline_headers);
      self->headers = g_renew (SextantEventStreamHeader, self->headers, self->n_allocated);
    }
  self->headers[self->n_headers++] = *header;
}

SextantEventStreamMessage *
sextant_event_stream_message_ref (SextantEventStreamMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
sextant_event_stream_message_unref (SextantEventStreamMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < self->n_headers; i++)
    {
      SextantEventStreamHeader *header = &self->headers[i];

      if (!in_arena (self, header->name))
        g_free (header->name);
      if (header->data != NULL && !in_arena (self, header->data))
        g_free (header->data);
    }
  if (self->headers != self->inline_headers)
    g_free (self->headers);
  g_clear_pointer (&self->payload, g_bytes_unref);
  g_free (self);
}

guint
sextant_event_stream_message_get_n_headers (SextantEventStreamMessage *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_headers;
}

const SextantEventStreamHeader *
sextant_event_stream_message_get_nth_header (SextantEventStreamMessage *self,
                                             guint                      n)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (n < self->n_headers, NULL);

  return &self->headers[n];
}

/**
 * sextant_event_stream_message_get_header:
 * @self: a message
 * @name: a header name
 *
 * Returns: (nullable) (transfer none): the header, or %NULL
 */
const SextantEventStreamHeader *
sextant_event_stream_message_get_header (SextantEventStreamMessage *self,
                                         const char                *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->n_headers; i++)
    {
      const SextantEventStreamHeader *header = &self->headers[i];

      if (strcmp (header->name, name) == 0)
        return header;
    }

  return NULL;
}

/**
 * sextant_event_stream_message_get_string:
 * @self: a message
 * @name: a header name such as `:event-type`
 *
 * Returns: (nullable): the value of a string header, or %NULL if absent or of another type
 */
const char *
sextant_event_stream_message_get_string (SextantEventStreamMessage *self,
                                         const char                *name)
{
  const SextantEventStreamHeader *header = sextant_event_stream_message_get_header (self, name);

  if (header == NULL || header->type != SEXTANT_EVENT_STREAM_STRING)
    return NULL;

  return (const char *)header->data;
}

/**
 * sextant_event_stream_message_get_payload:
 *
 * Returns: (transfer none): the payload bytes
 */
GBytes *
sextant_event_stream_message_get_payload (SextantEventStreamMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->payload == NULL)
    self->payload = g_bytes_new (self->payload_data, self->payload_len);

  return self->payload;
}

/**
 * sextant_event_stream_message_get_payload_data:
 * @self: a message
 * @len: (out): the payload length
 *
 * Returns: (transfer none) (array length=len): the payload, valid as long as @self
 */
const guint8 *
sextant_event_stream_message_get_payload_data (SextantEventStreamMessage *self,
                                               gsize                     *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->payload != NULL)
    return g_bytes_get_data (self->payload, len);
  *len = self->payload_len;

  return self->payload_data != NULL ? self->payload_data : (const guint8 *)"";
}

void
sextant_event_stream_message_get_prelude (SextantEventStreamMessage *self,
                                          guint32                   *total_length,
                                          guint32                   *headers_length,
                                          guint32                   *prelude_crc,
                                          guint32                   *message_crc)
{
  g_return_if_fail (self != NULL);

  if (total_length != NULL)
    *total_length = self->total_length;
  if (headers_length != NULL)
    *headers_length = self->headers_length;
  if (prelude_crc != NULL)
    *prelude_crc = self->prelude_crc;
  if (message_crc != NULL)
    *message_crc = self->message_crc;
}

void
_sextant_event_stream_message_set_prelude (SextantEventStreamMessage *self,
                                           guint32                    total_length,
                                           guint32                    headers_length,
                                           guint32                    prelude_crc,
                                           guint32                    message_crc)
{
  self->total_length = total_length;
  self->headers_length = headers_length;
  self->prelude_crc = prelude_crc;
  self->message_crc = message_crc;
}

/**
 * sextant_event_stream_message_add_header:
 * @self: a message
 * @name: a name of 1 to 255 bytes, not yet used in @self
 * @type: the value type
 * @integer: the value for boolean, integer and timestamp types
 * @data: (nullable) (array length=len): the value for bytes, string and uuid types
 * @len: its length (16 for a uuid, at most 65535 otherwise)
 *
 * Returns: %FALSE (and adds nothing) if the name is a duplicate, or a length is out of range
 */
gboolean
sextant_event_stream_message_add_header (SextantEventStreamMessage    *self,
                                         const char                   *name,
                                         SextantEventStreamHeaderType  type,
                                         gint64                        integer,
                                         const guint8                 *data,
                                         gsize                         len)
{
  SextantEventStreamHeader header = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (strlen (name) == 0 || strlen (name) > 255 || type > SEXTANT_EVENT_STREAM_UUID ||
      sextant_event_stream_message_get_header (self, name) != NULL || len > G_MAXUINT16 ||
      (type == SEXTANT_EVENT_STREAM_UUID && len != 16))
    return FALSE;

  header.name = g_strdup (name);
  header.type = type;
  header.integer = type == SEXTANT_EVENT_STREAM_BOOL_TRUE ? 1 : integer;
  if (type == SEXTANT_EVENT_STREAM_BYTES || type == SEXTANT_EVENT_STREAM_STRING ||
      type == SEXTANT_EVENT_STREAM_UUID)
    {
      header.data = g_malloc (len + 1);
      if (len > 0)
        memcpy (header.data, data, len);
      header.data[len] = '\0';
      header.len = len;
    }
  append_header (self, &header);

  return TRUE;
}

/* Copies the payload into the message's own block, after the header arena. */
void
_sextant_event_stream_message_copy_payload (SextantEventStreamMessage *self,
                                            gsize                      offset,
                                            const guint8              *data,
                                            gsize                      len)
{
  g_assert (offset + len <= self->arena_size);

  if (len == 0)
    return;
  memcpy (self->arena + offset, data, len);
  self->payload_data = self->arena + offset;
  self->payload_len = len;
}

/* The decoder's path: the name is not NUL-terminated and duplicates were already checked. */
void
_sextant_event_stream_message_take_header (SextantEventStreamMessage    *self,
                                           const char                   *name,
                                           gsize                         name_len,
                                           SextantEventStreamHeaderType  type,
                                           gint64                        integer,
                                           const guint8                 *data,
                                           gsize                         len)
{
  SextantEventStreamHeader header;
  gsize need = name_len + 1 + (data != NULL ? len + 1 : 0);

  if (self->arena_used + need > self->arena_size)
    {
      header.name = g_strndup (name, name_len);
      header.data = data != NULL ? g_malloc (len + 1) : NULL;
    }
  else
    {
      header.name = (char *)self->arena + self->arena_used;
      header.data = data != NULL ? self->arena + self->arena_used + name_len + 1 : NULL;
      self->arena_used += need;
      memcpy (header.name, name, name_len);
      header.name[name_len] = '\0';
    }
  header.type = type;
  header.integer = integer;
  header.len = 0;
  if (data != NULL)
    {
      memcpy (header.data, data, len);
      header.data[len] = '\0';
      header.len = len;
    }
  append_header (self, &header);
}

gboolean
_sextant_event_stream_message_has_header_len (SextantEventStreamMessage *self,
                                              const char                *name,
                                              gsize                      name_len)
{
  for (guint i = 0; i < self->n_headers; i++)
    {
      const SextantEventStreamHeader *header = &self->headers[i];

      if (strncmp (header->name, name, name_len) == 0 && header->name[name_len] == '\0')
        return TRUE;
    }

  return FALSE;
}

void
sextant_event_stream_message_add_string (SextantEventStreamMessage *self,
                                         const char                *name,
                                         const char                *value)
{
  gboolean added;

  added = sextant_event_stream_message_add_header (self, name, SEXTANT_EVENT_STREAM_STRING, 0,
                                                   (const guint8 *)value, strlen (value));
  g_return_if_fail (added);
}

void
sextant_event_stream_message_set_payload (SextantEventStreamMessage *self,
                                          GBytes                    *payload)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (payload != NULL);

  g_clear_pointer (&self->payload, g_bytes_unref);
  self->payload = g_bytes_ref (payload);
  self->payload_data = NULL;
  self->payload_len = 0;
}

static void
put_be (GByteArray *out,
        guint64     value,
        guint       n_bytes)
{
  for (guint i = 0; i < n_bytes; i++)
    {
      guint8 byte = (value >> (8 * (n_bytes - 1 - i))) & 0xff;

      g_byte_array_append (out, &byte, 1);
    }
}

static void
encode_header (GByteArray                     *out,
               const SextantEventStreamHeader *header)
{
  static const guint fixed_size[] = { 0, 0, 1, 2, 4, 8, 0, 0, 8, 16 };
  guint8 type = header->type;

  put_be (out, strlen (header->name), 1);
  g_byte_array_append (out, (const guint8 *)header->name, strlen (header->name));
  g_byte_array_append (out, &type, 1);
  switch (header->type)
    {
    case SEXTANT_EVENT_STREAM_BOOL_TRUE:
    case SEXTANT_EVENT_STREAM_BOOL_FALSE:
      break;
    case SEXTANT_EVENT_STREAM_BYTES:
    case SEXTANT_EVENT_STREAM_STRING:
      put_be (out, header->len, 2);
      g_byte_array_append (out, header->data, header->len);
      break;
    case SEXTANT_EVENT_STREAM_UUID:
      g_byte_array_append (out, header->data, 16);
      break;
    default:
      put_be (out, (guint64)header->integer, fixed_size[header->type]);
      break;
    }
}

/**
 * sextant_event_stream_message_encode:
 * @self: a message
 *
 * Frames @self with its prelude and both CRCs, and records them in @self.
 *
 * Returns: (transfer full): the wire bytes
 */
GBytes *
sextant_event_stream_message_encode (SextantEventStreamMessage *self)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) headers = g_byte_array_new ();
  gsize payload_len;
  const guint8 *payload = g_bytes_get_data (sextant_event_stream_message_get_payload (self), &payload_len);
  guint32 total;

  for (guint i = 0; i < self->n_headers; i++)
    encode_header (headers, &self->headers[i]);
  total = 16 + headers->len + payload_len;
  put_be (out, total, 4);
  put_be (out, headers->len, 4);
  self->prelude_crc = sextant_crc32 (out->data, 8);
  put_be (out, self->prelude_crc, 4);
  g_byte_array_append (out, headers->data, headers->len);
  if (payload_len > 0)
    g_byte_array_append (out, payload, payload_len);
  self->message_crc = sextant_crc32 (out->data, out->len);
  put_be (out, self->message_crc, 4);
  self->total_length = total;
  self->headers_length = headers->len;

  return g_byte_array_free_to_bytes (out);
}

static GBytes *
encode_simple (const char *h1, const char *v1,
               const char *h2, const char *v2,
               const char *h3, const char *v3,
               const char *json)
{
  g_autoptr(SextantEventStreamMessage) msg = sextant_event_stream_message_new ();
  g_autoptr(GBytes) payload = g_bytes_new (json, json != NULL ? strlen (json) : 0);

  sextant_event_stream_message_add_string (msg, h1, v1);
  sextant_event_stream_message_add_string (msg, h2, v2);
  sextant_event_stream_message_add_string (msg, h3, v3);
  sextant_event_stream_message_set_payload (msg, payload);

  return sextant_event_stream_message_encode (msg);
}

/**
 * sextant_event_stream_encode_event:
 * @event_type: the `:event-type`, such as `contentBlockDelta`
 * @json: the JSON payload
 *
 * Uses the header order of the real capture (PROTOCOL.md §3).
 *
 * Returns: (transfer full): one framed event message
 */
GBytes *
sextant_event_stream_encode_event (const char *event_type,
                                   const char *json)
{
  return encode_simple (":event-type", event_type, ":content-type", "application/json",
                        ":message-type", "event", json);
}

GBytes *
sextant_event_stream_encode_exception (const char *exception_type,
                                       const char *json)
{
  return encode_simple (":message-type", "exception", ":exception-type", exception_type,
                        ":content-type", "application/json", json);
}

GBytes *
sextant_event_stream_encode_error (const char *code,
                                   const char *message)
{
  return encode_simple (":message-type", "error", ":error-code", code, ":error-message", message,
                        NULL);
}

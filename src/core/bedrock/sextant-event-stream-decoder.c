#define G_LOG_DOMAIN "sextant-event-stream-decoder"

#include "config.h"

#include <string.h>

#include "bedrock/sextant-bedrock-error.h"
#include "bedrock/sextant-crc32.h"
#include "bedrock/sextant-event-stream-decoder.h"

/* Incremental decoder of `application/vnd.amazon.eventstream`: bytes arrive split anywhere by
 * TCP and HTTP chunking, so they are buffered until a whole message is there. Checks follow
 * botocore HEAD: prelude CRC, then the length limits (so an absurd length is refused from the
 * 12-byte prelude, before buffering anything), then the message CRC, then the headers. */

#define PRELUDE_LENGTH 12
#define MIN_MESSAGE_LENGTH 16

struct _SextantEventStreamDecoder
{
  GByteArray *buffer;
  gsize       pos;
  GError     *failure;
};

SextantEventStreamDecoder *
sextant_event_stream_decoder_new (void)
{
  SextantEventStreamDecoder *self = g_new0 (SextantEventStreamDecoder, 1);

  self->buffer = g_byte_array_new ();

  return self;
}

void
sextant_event_stream_decoder_free (SextantEventStreamDecoder *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->buffer);
  g_clear_error (&self->failure);
  g_free (self);
}

/**
 * sextant_event_stream_decoder_feed:
 * @self: a decoder
 * @data: (array length=len): the next bytes of the stream
 * @len: how many
 */
void
sextant_event_stream_decoder_feed (SextantEventStreamDecoder *self,
                                   const guint8              *data,
                                   gsize                      len)
{
  g_return_if_fail (self != NULL);

  if (self->pos == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->pos = 0;
    }
  else if (self->pos > 65536 && self->pos > self->buffer->len / 2)
    {
      g_byte_array_remove_range (self->buffer, 0, self->pos);
      self->pos = 0;
    }
  g_byte_array_append (self->buffer, data, len);
}

/**
 * sextant_event_stream_decoder_get_pending:
 *
 * Returns: how many bytes are buffered that do not yet form a message; non-zero at the end of
 *   a stream means it was truncated
 */
gsize
sextant_event_stream_decoder_get_pending (SextantEventStreamDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->buffer->len - self->pos;
}

static inline guint32
read_u32 (const guint8 *p)
{
  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | (guint32)p[3];
}

static inline guint64
read_be (const guint8 *p,
         guint         n)
{
  guint64 value = 0;

  for (guint i = 0; i < n; i++)
    value = value << 8 | p[i];

  return value;
}

static gint64
sign_extend (guint64 value,
             guint   n_bytes)
{
  guint shift = 64 - 8 * n_bytes;

  return (gint64)(value << shift) >> shift;
}

static gboolean
check_prelude (const guint8  *p,
               GError       **error)
{
  guint32 total = read_u32 (p);
  guint32 headers_len = read_u32 (p + 4);
  guint32 crc = read_u32 (p + 8);
  guint32 computed = sextant_crc32 (p, 8);

  if (crc != computed)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PRELUDE_CRC,
                   "Event stream prelude checksum mismatch: expected 0x%08x, computed 0x%08x",
                   crc, computed);
      return FALSE;
    }
  if (headers_len > SEXTANT_EVENT_STREAM_MAX_HEADERS_LENGTH)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_HEADERS_LENGTH,
                   "Event stream headers length %u exceeds the %u-byte limit", headers_len,
                   SEXTANT_EVENT_STREAM_MAX_HEADERS_LENGTH);
      return FALSE;
    }
  if (total < MIN_MESSAGE_LENGTH || headers_len > total - MIN_MESSAGE_LENGTH)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EVENT_STREAM,
                   "Event stream message length %u cannot hold %u bytes of headers", total,
                   headers_len);
      return FALSE;
    }
  if (total - MIN_MESSAGE_LENGTH - headers_len > SEXTANT_EVENT_STREAM_MAX_PAYLOAD_LENGTH)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_PAYLOAD_LENGTH,
                   "Event stream payload length %u exceeds the %u-byte limit",
                   total - MIN_MESSAGE_LENGTH - headers_len, SEXTANT_EVENT_STREAM_MAX_PAYLOAD_LENGTH);
      return FALSE;
    }

  return TRUE;
}

static gboolean
header_fail (GError     **error,
             gsize        offset,
             const char  *what)
{
  g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_EVENT_STREAM,
               "Event stream header at byte %" G_GSIZE_FORMAT ": %s", offset, what);
  return FALSE;
}

static gboolean
parse_value (const guint8  *p,
             gsize          avail,
             guint8         type,
             gint64        *integer,
             const guint8 **data,
             gsize         *len,
             gsize         *used)
{
  static const guint fixed_size[] = { 0, 0, 1, 2, 4, 8, 0, 0, 8, 16 };

  *data = NULL;
  *len = 0;
  *integer = type == SEXTANT_EVENT_STREAM_BOOL_TRUE;
  if (type == SEXTANT_EVENT_STREAM_BYTES || type == SEXTANT_EVENT_STREAM_STRING)
    {
      if (avail < 2)
        return FALSE;
      *len = read_be (p, 2);
      if (avail - 2 < *len)
        return FALSE;
      *data = p + 2;
      *used = 2 + *len;
      return TRUE;
    }
  if (avail < fixed_size[type])
    return FALSE;
  *used = fixed_size[type];
  if (type == SEXTANT_EVENT_STREAM_UUID)
    {
      *data = p;
      *len = 16;
    }
  else if (fixed_size[type] > 0)
    *integer = sign_extend (read_be (p, fixed_size[type]), fixed_size[type]);

  return TRUE;
}

static gboolean
parse_headers (SextantEventStreamMessage  *msg,
               const guint8               *p,
               gsize                       len,
               GError                    **error)
{
  gsize i = 0;

  while (i < len)
    {
      const char *name;
      const guint8 *data;
      gint64 integer;
      gsize name_len = p[i];
      gsize value_len;
      gsize used;
      guint8 type;

      if (name_len == 0 || len - i - 1 < name_len + 1)
        return header_fail (error, i, "name runs past the headers");
      name = (const char *)p + i + 1;
      type = p[i + 1 + name_len];
      if (type > SEXTANT_EVENT_STREAM_UUID)
        return header_fail (error, i, "unknown value type");
      if (memchr (name, '\0', name_len) != NULL)
        return header_fail (error, i, "name contains a NUL byte");
      i += 2 + name_len;
      if (!parse_value (p + i, len - i, type, &integer, &data, &value_len, &used))
        return header_fail (error, i, "value runs past the headers");
      if (type == SEXTANT_EVENT_STREAM_STRING && !g_utf8_validate ((const char *)data, value_len, NULL))
        return header_fail (error, i, "string value is not UTF-8");
      if (_sextant_event_stream_message_has_header_len (msg, name, name_len))
        {
          g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_DUPLICATE_HEADER,
                       "Event stream message repeats the header “%.*s”", (int)name_len, name);
          return FALSE;
        }
      _sextant_event_stream_message_take_header (msg, name, name_len, type, integer,
                                                 type >= SEXTANT_EVENT_STREAM_BYTES && type != SEXTANT_EVENT_STREAM_TIMESTAMP ? (data != NULL ? data : (const guint8 *)"") : NULL,
                                                 value_len);
      i += used;
    }

  return TRUE;
}

static SextantEventStreamMessage *
decode_message (const guint8  *p,
                guint32        total,
                GError       **error)
{
  g_autoptr(SextantEventStreamMessage) msg = NULL;
  guint32 headers_len = read_u32 (p + 4);
  guint32 crc = read_u32 (p + total - 4);
  guint32 computed = sextant_crc32 (p, total - 4);

  if (crc != computed)
    {
      g_set_error (error, SEXTANT_BEDROCK_ERROR, SEXTANT_BEDROCK_ERROR_MESSAGE_CRC,
                   "Event stream message checksum mismatch: expected 0x%08x, computed 0x%08x",
                   crc, computed);
      return NULL;
    }
  msg = _sextant_event_stream_message_new_with_arena (headers_len + (total - MIN_MESSAGE_LENGTH - headers_len));
  if (!parse_headers (msg, p + PRELUDE_LENGTH, headers_len, error))
    return NULL;
  _sextant_event_stream_message_copy_payload (msg, headers_len, p + PRELUDE_LENGTH + headers_len,
                                              total - MIN_MESSAGE_LENGTH - headers_len);
  _sextant_event_stream_message_set_prelude (msg, total, headers_len, read_u32 (p + 8), crc);

  return g_steal_pointer (&msg);
}

/**
 * sextant_event_stream_decoder_next:
 * @self: a decoder
 * @error: return location for a framing error
 *
 * A framing error is final: the stream cannot be resynchronised, and every later call returns
 * the same error.
 *
 * Returns: (transfer full) (nullable): the next whole message, or %NULL when more bytes are
 *   needed (@error unset) or the stream is corrupt (@error set)
 */
SextantEventStreamMessage *
sextant_event_stream_decoder_next (SextantEventStreamDecoder  *self,
                                   GError                    **error)
{
  SextantEventStreamMessage *msg;
  const guint8 *p;
  gsize avail;
  guint32 total;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->failure != NULL)
    {
      g_propagate_error (error, g_error_copy (self->failure));
      return NULL;
    }
  avail = self->buffer->len - self->pos;
  if (avail < PRELUDE_LENGTH)
    return NULL;
  p = self->buffer->data + self->pos;
  if (!check_prelude (p, &self->failure))
    goto failed;
  total = read_u32 (p);
  if (avail < total)
    return NULL;
  msg = decode_message (p, total, &self->failure);
  if (msg == NULL)
    goto failed;
  self->pos += total;

  return msg;

failed:
  g_propagate_error (error, g_error_copy (self->failure));
  return NULL;
}

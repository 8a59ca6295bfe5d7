#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SextantEventStreamHeaderType:
 *
 * Header value types of `application/vnd.amazon.eventstream` (PROTOCOL.md §5).
 */
typedef enum
{
  SEXTANT_EVENT_STREAM_BOOL_TRUE  = 0,
  SEXTANT_EVENT_STREAM_BOOL_FALSE = 1,
  SEXTANT_EVENT_STREAM_INT8       = 2,
  SEXTANT_EVENT_STREAM_INT16      = 3,
  SEXTANT_EVENT_STREAM_INT32      = 4,
  SEXTANT_EVENT_STREAM_INT64      = 5,
  SEXTANT_EVENT_STREAM_BYTES      = 6,
  SEXTANT_EVENT_STREAM_STRING     = 7,
  SEXTANT_EVENT_STREAM_TIMESTAMP  = 8,
  SEXTANT_EVENT_STREAM_UUID       = 9,
} SextantEventStreamHeaderType;

/**
 * SextantEventStreamHeader:
 * @name: the header name (NUL-terminated)
 * @type: the value type
 * @integer: the value of integer and timestamp (ms) types; 1/0 for the booleans
 * @data: the bytes of BYTES, STRING and UUID values, followed by a NUL not counted in @len
 * @len: the length of @data
 */
typedef struct
{
  char                         *name;
  SextantEventStreamHeaderType  type;
  gint64                        integer;
  guint8                       *data;
  gsize                         len;
} SextantEventStreamHeader;

typedef struct _SextantEventStreamMessage SextantEventStreamMessage;

#define SEXTANT_TYPE_EVENT_STREAM_MESSAGE (sextant_event_stream_message_get_type ())

GType                           sextant_event_stream_message_get_type          (void) G_GNUC_CONST;
SextantEventStreamMessage      *sextant_event_stream_message_new               (void);
SextantEventStreamMessage      *sextant_event_stream_message_ref               (SextantEventStreamMessage *self);
void                            sextant_event_stream_message_unref             (SextantEventStreamMessage *self);
guint                           sextant_event_stream_message_get_n_headers     (SextantEventStreamMessage *self);
const SextantEventStreamHeader *sextant_event_stream_message_get_nth_header    (SextantEventStreamMessage *self,
                                                                                guint                      n);
const SextantEventStreamHeader *sextant_event_stream_message_get_header        (SextantEventStreamMessage *self,
                                                                                const char                *name);
const char                     *sextant_event_stream_message_get_string        (SextantEventStreamMessage *self,
                                                                                const char                *name);
GBytes                         *sextant_event_stream_message_get_payload       (SextantEventStreamMessage *self);
const guint8                   *sextant_event_stream_message_get_payload_data  (SextantEventStreamMessage *self,
                                                                                gsize                     *len);
void                            sextant_event_stream_message_get_prelude       (SextantEventStreamMessage *self,
                                                                                guint32                   *total_length,
                                                                                guint32                   *headers_length,
                                                                                guint32                   *prelude_crc,
                                                                                guint32                   *message_crc);
gboolean                        sextant_event_stream_message_add_header        (SextantEventStreamMessage *self,
                                                                                const char                *name,
                                                                                SextantEventStreamHeaderType type,
                                                                                gint64                     integer,
                                                                                const guint8              *data,
                                                                                gsize                      len);
void                            sextant_event_stream_message_add_string        (SextantEventStreamMessage *self,
                                                                                const char                *name,
                                                                                const char                *value);
void                            sextant_event_stream_message_set_payload       (SextantEventStreamMessage *self,
                                                                                GBytes                    *payload);
GBytes                         *sextant_event_stream_message_encode            (SextantEventStreamMessage *self);
void                            _sextant_event_stream_message_set_prelude      (SextantEventStreamMessage *self,
                                                                                guint32                    total_length,
                                                                                guint32                    headers_length,
                                                                                guint32                    prelude_crc,
                                                                                guint32                    message_crc);
void                            _sextant_event_stream_message_take_header      (SextantEventStreamMessage *self,
                                                                                const char                *name,
                                                                                gsize                      name_len,
                                                                                SextantEventStreamHeaderType type,
                                                                                gint64                     integer,
                                                                                const guint8              *data,
                                                                                gsize                      len);
SextantEventStreamMessage      *_sextant_event_stream_message_new_with_arena   (gsize                      size);
void                            _sextant_event_stream_message_copy_payload     (SextantEventStreamMessage *self,
                                                                                gsize                      offset,
                                                                                const guint8              *data,
                                                                                gsize                      len);
gboolean                        _sextant_event_stream_message_has_header_len   (SextantEventStreamMessage *self,
                                                                                const char                *name,
                                                                                gsize                      name_len);
GBytes                         *sextant_event_stream_encode_event              (const char                *event_type,
                                                                                const char                *json);
GBytes                         *sextant_event_stream_encode_exception          (const char                *exception_type,
                                                                                const char                *json);
GBytes                         *sextant_event_stream_encode_error              (const char                *code,
                                                                                const char                *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantEventStreamMessage, sextant_event_stream_message_unref)

G_END_DECLS

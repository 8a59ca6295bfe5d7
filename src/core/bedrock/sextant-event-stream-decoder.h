#pragma once

#include <glib.h>

#include "bedrock/sextant-event-stream-message.h"

G_BEGIN_DECLS

/* Limits of botocore (PROTOCOL.md §5). */
#define SEXTANT_EVENT_STREAM_MAX_HEADERS_LENGTH (128 * 1024)
#define SEXTANT_EVENT_STREAM_MAX_PAYLOAD_LENGTH (24 * 1024 * 1024)

typedef struct _SextantEventStreamDecoder SextantEventStreamDecoder;

SextantEventStreamDecoder *sextant_event_stream_decoder_new         (void);
void                       sextant_event_stream_decoder_free        (SextantEventStreamDecoder  *self);
void                       sextant_event_stream_decoder_feed        (SextantEventStreamDecoder  *self,
                                                                     const guint8               *data,
                                                                     gsize                       len);
SextantEventStreamMessage *sextant_event_stream_decoder_next        (SextantEventStreamDecoder  *self,
                                                                     GError                    **error);
gsize                      sextant_event_stream_decoder_get_pending (SextantEventStreamDecoder  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SextantEventStreamDecoder, sextant_event_stream_decoder_free)

G_END_DECLS

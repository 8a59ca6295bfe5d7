#define G_LOG_DOMAIN "sextant-chat-part"

#include "config.h"

#include <string.h>

#include "sextant-chat-part.h"

/* One row of the chat's message list: a piece of a message's text, cut where Markdown lets the
 * pieces render apart (sextant_markdown_find_cut()). A short message is one part; a long answer
 * is many, so the list view makes widgets for the pieces in sight only, and a streaming answer
 * re-renders its last piece, not the whole text. The first part carries the message's header,
 * the last its tool-call cards. */

struct _SextantChatPart
{
  GObject             parent_instance;
  SextantChatMessage *message;
  gsize               start;
  gsize               end;
  gboolean            first;
  gboolean            last;
};

enum { PROP_0, PROP_END, PROP_LAST, N_PROPS };
static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (SextantChatPart, sextant_chat_part, G_TYPE_OBJECT)

static void
sextant_chat_part_finalize (GObject *object)
{
  g_clear_object (&SEXTANT_CHAT_PART (object)->message);

  G_OBJECT_CLASS (sextant_chat_part_parent_class)->finalize (object);
}

static void
sextant_chat_part_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_END:
      g_value_set_uint64 (value, SEXTANT_CHAT_PART (object)->end);
      break;
    case PROP_LAST:
      g_value_set_boolean (value, SEXTANT_CHAT_PART (object)->last);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sextant_chat_part_class_init (SextantChatPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sextant_chat_part_finalize;
  object_class->get_property = sextant_chat_part_get_property;

  /**
   * SextantChatPart:end:
   *
   * Where the part's text ends. The last part of a message being revealed moves it on.
   */
  properties [PROP_END] =
    g_param_spec_uint64 ("end", NULL, NULL, 0, G_MAXUINT64, 0, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * SextantChatPart:last:
   *
   * Whether the part is its message's last. It stops being when the text revealed after it
   * becomes parts of its own.
   */
  properties [PROP_LAST] =
    g_param_spec_boolean ("last", NULL, NULL, FALSE, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sextant_chat_part_init (SextantChatPart *self)
{
}

/**
 * sextant_chat_part_new:
 * @message: the message
 * @start: where the part's text starts, a cut of the message's Markdown
 * @end: where it ends: a later cut, how much of the text is shown yet, or
 *   %SEXTANT_CHAT_PART_OPEN for the end of the text whatever it grows to
 * @first: whether the part shows the message's header
 * @last: whether it shows the message's tool calls
 *
 * Returns: (transfer full): the part
 */
SextantChatPart *
sextant_chat_part_new (SextantChatMessage *message,
                       gsize               start,
                       gsize               end,
                       gboolean            first,
                       gboolean            last)
{
  SextantChatPart *self;

  g_return_val_if_fail (SEXTANT_IS_CHAT_MESSAGE (message), NULL);
  g_return_val_if_fail (start <= end, NULL);

  self = g_object_new (SEXTANT_TYPE_CHAT_PART, NULL);
  self->message = g_object_ref (message);
  self->start = start;
  self->end = end;
  self->first = !!first;
  self->last = !!last;

  return self;
}

/**
 * sextant_chat_part_get_message:
 *
 * Returns: (transfer none): the message the part belongs to
 */
SextantChatMessage *
sextant_chat_part_get_message (SextantChatPart *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), NULL);

  return self->message;
}

gsize
sextant_chat_part_get_start (SextantChatPart *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), 0);

  return self->start;
}

gsize
sextant_chat_part_get_end (SextantChatPart *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), 0);

  return self->end;
}

/**
 * sextant_chat_part_set_end:
 * @self: the last part of a message
 * @end: where its text ends now
 *
 * Shows more of a growing message; rows showing the part render it again.
 */
void
sextant_chat_part_set_end (SextantChatPart *self,
                           gsize            end)
{
  g_return_if_fail (SEXTANT_IS_CHAT_PART (self));
  g_return_if_fail (end >= self->start);

  if (self->end == end)
    return;
  self->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_END]);
}

/**
 * sextant_chat_part_close:
 * @self: the last part of a message
 * @end: the cut where it ends for good
 *
 * Text after @end became parts of their own: @self keeps its row, ends at @end and is no
 * longer last.
 */
void
sextant_chat_part_close (SextantChatPart *self,
                         gsize            end)
{
  g_return_if_fail (SEXTANT_IS_CHAT_PART (self));

  g_object_freeze_notify (G_OBJECT (self));
  sextant_chat_part_set_end (self, end);
  if (self->last)
    {
      self->last = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LAST]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
sextant_chat_part_is_first (SextantChatPart *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), FALSE);

  return self->first;
}

gboolean
sextant_chat_part_is_last (SextantChatPart *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), FALSE);

  return self->last;
}

/**
 * sextant_chat_part_render:
 * @self: a part
 *
 * The blocks of the part's text as it is now. A whole message uses the blocks its message keeps
 * (rendered once however often its row is bound again); a piece renders its own text.
 * Pieces render apart to the blocks of the whole: they are cut where Markdown allows it.
 *
 * Returns: (transfer full) (element-type SextantMarkdownBlock): the blocks
 */
GPtrArray *
sextant_chat_part_render (SextantChatPart *self)
{
  const char *text;
  gsize len;

  g_return_val_if_fail (SEXTANT_IS_CHAT_PART (self), NULL);

  text = sextant_chat_message_get_text (self->message);
  len = strlen (text);
  if (self->start == 0 && self->end >= len)
    return g_ptr_array_ref (sextant_chat_message_get_blocks (self->message));

  return sextant_markdown_render (text + MIN (self->start, len), MIN (self->end, len) - MIN (self->start, len));
}

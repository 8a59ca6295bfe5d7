#define G_LOG_DOMAIN "sextant-chat-transcript"

#include "config.h"

#include <string.h>

#include "sextant-chat-transcript.h"

/* What the chat's list view shows: the messages of a conversation as parts (SextantChatPart), a
 * part per row. A message up to PART_BYTES long is one part; a longer one is cut into pieces of
 * at least PART_BYTES where its Markdown allows, so a 1 MB answer becomes hundreds of short rows
 * of which only those in sight have widgets, instead of one row with thousands of labels that
 * GTK would measure, allocate and draw every frame.
 *
 * Parts are made when the list view asks for them, so a long conversation of short messages
 * opens without rendering or allocating anything per message.
 *
 * A message that grows (the answer being streamed) is queued, and flushing, once a frame, shows
 * a budget of bytes more of it: its last part grows, and pieces that are complete become parts
 * of their own. Text can arrive far faster than GTK lays it out (a wrapped paragraph takes a
 * third of a millisecond or more to shape and measure here), so the work of a frame is bounded
 * by what is revealed, not by what arrived; at the speed of a language model the display never
 * lags, and at full speed it catches up a budget a frame. */

#define PART_BYTES 512

typedef struct
{
  SextantChatMessage *message;
  gsize               shown;    /* how much of the text the parts cover */
  GArray             *cuts;     /* gsize: where parts after the first start; NULL for one part */
  GPtrArray          *parts;    /* SextantChatPart or NULL, made on demand; NULL until then */
} Entry;

struct _SextantChatTranscript
{
  GObject     parent_instance;
  GListModel *messages;
  GPtrArray  *entries;
  GArray     *starts;     /* guint: position of each entry's first part; one more for the end */
  GPtrArray  *queued;     /* SextantChatMessage */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SextantChatTranscript, sextant_chat_transcript, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static guint
entry_n_parts (const Entry *entry)
{
  return 1 + (entry->cuts != NULL ? entry->cuts->len : 0);
}

static gsize
entry_last_start (const Entry *entry)
{
  return entry->cuts != NULL && entry->cuts->len > 0 ? g_array_index (entry->cuts, gsize, entry->cuts->len - 1) : 0;
}

/* Cuts the shown text after its last cut; returns how many new cuts were found. */
static guint
entry_cut (Entry *entry)
{
  const char *text = sextant_chat_message_get_text (entry->message);
  gsize len = entry->shown;
  gsize start = entry_last_start (entry);
  guint n = 0;

  /* Most messages are short: no scan at all. */
  if (len <= start + PART_BYTES)
    return 0;
  for (gsize cut; (cut = sextant_markdown_find_cut (text, start, len, PART_BYTES)) > start; start = cut, n++)
    {
      if (entry->cuts == NULL)
        entry->cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_array_append_val (entry->cuts, cut);
    }

  return n;
}

static Entry *
entry_new (SextantChatMessage *message)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->message = g_object_ref (message);
  entry->shown = strlen (sextant_chat_message_get_text (message));
  entry_cut (entry);

  return entry;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_object_unref (entry->message);
  g_clear_pointer (&entry->cuts, g_array_unref);
  g_clear_pointer (&entry->parts, g_ptr_array_unref);
  g_free (entry);
}

static SextantChatPart *
entry_get_part (Entry *entry,
                guint  index)
{
  guint n = entry_n_parts (entry);

  if (entry->parts == NULL)
    entry->parts = g_ptr_array_new_with_free_func (g_object_unref);
  if (entry->parts->len < n)
    g_ptr_array_set_size (entry->parts, n);
  if (entry->parts->pdata[index] == NULL)
    {
      gsize start = index == 0 ? 0 : g_array_index (entry->cuts, gsize, index - 1);
      /* The last part ends where the shown text does, and grows with it until a cut closes it. */
      gsize end = index + 1 < n ? g_array_index (entry->cuts, gsize, index) : entry->shown;

      entry->parts->pdata[index] = sextant_chat_part_new (entry->message, start, end, index == 0, index + 1 == n);
    }

  return g_object_ref (entry->parts->pdata[index]);
}

static void
update_starts (SextantChatTranscript *self,
               guint                  from)
{
  g_array_set_size (self->starts, self->entries->len + 1);
  for (guint i = from; i < self->entries->len; i++)
    g_array_index (self->starts, guint, i + 1) = g_array_index (self->starts, guint, i) +
                                                  entry_n_parts (self->entries->pdata[i]);
}

static guint
start_of (SextantChatTranscript *self,
          guint                  entry)
{
  return g_array_index (self->starts, guint, entry);
}

static void
messages_changed_cb (GListModel            *messages,
                     guint                  position,
                     guint                  removed,
                     guint                  added,
                     SextantChatTranscript *self)
{
  guint first = start_of (self, position);
  guint old_end = start_of (self, position + removed);

  for (guint i = position; i < position + removed; i++)
    g_ptr_array_remove (self->queued, ((Entry *) self->entries->pdata[i])->message);
  g_ptr_array_remove_range (self->entries, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(SextantChatMessage) message = g_list_model_get_item (messages, position + i);

      g_ptr_array_insert (self->entries, position + i, entry_new (message));
    }
  update_starts (self, position);
  g_list_model_items_changed (G_LIST_MODEL (self), first, old_end - first, start_of (self, position + added) - first);
}

static GType
sextant_chat_transcript_get_item_type (GListModel *model)
{
  return SEXTANT_TYPE_CHAT_PART;
}

static guint
sextant_chat_transcript_get_n_items (GListModel *model)
{
  SextantChatTranscript *self = SEXTANT_CHAT_TRANSCRIPT (model);

  return start_of (self, self->entries->len);
}

static gpointer
sextant_chat_transcript_get_item (GListModel *model,
                                  guint       position)
{
  SextantChatTranscript *self = SEXTANT_CHAT_TRANSCRIPT (model);
  guint low = 0, high = self->entries->len;

  if (position >= start_of (self, self->entries->len))
    return NULL;
  /* The entry whose parts span the position: the last one starting at or before it. */
  while (high - low > 1)
    {
      guint mid = low + (high - low) / 2;

      if (start_of (self, mid) <= position)
        low = mid;
      else
        high = mid;
    }

  return entry_get_part (self->entries->pdata[low], position - start_of (self, low));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sextant_chat_transcript_get_item_type;
  iface->get_n_items = sextant_chat_transcript_get_n_items;
  iface->get_item = sextant_chat_transcript_get_item;
}

static void
sextant_chat_transcript_dispose (GObject *object)
{
  SextantChatTranscript *self = (SextantChatTranscript *)object;

  if (self->messages != NULL)
    g_signal_handlers_disconnect_by_data (self->messages, self);
  g_clear_object (&self->messages);
  g_ptr_array_set_size (self->entries, 0);
  g_ptr_array_set_size (self->queued, 0);

  G_OBJECT_CLASS (sextant_chat_transcript_parent_class)->dispose (object);
}

static void
sextant_chat_transcript_finalize (GObject *object)
{
  SextantChatTranscript *self = (SextantChatTranscript *)object;

  g_ptr_array_unref (self->entries);
  g_array_unref (self->starts);
  g_ptr_array_unref (self->queued);

  G_OBJECT_CLASS (sextant_chat_transcript_parent_class)->finalize (object);
}

static void
sextant_chat_transcript_class_init (SextantChatTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sextant_chat_transcript_dispose;
  object_class->finalize = sextant_chat_transcript_finalize;
}

static void
sextant_chat_transcript_init (SextantChatTranscript *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->starts = g_array_new (FALSE, TRUE, sizeof (guint));
  g_array_set_size (self->starts, 1);
  self->queued = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * sextant_chat_transcript_new:
 * @messages: a #GListModel of #SextantChatMessage
 *
 * Returns: (transfer full): the parts of @messages, following its changes
 */
SextantChatTranscript *
sextant_chat_transcript_new (GListModel *messages)
{
  SextantChatTranscript *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (messages), NULL);
  g_return_val_if_fail (g_list_model_get_item_type (messages) == SEXTANT_TYPE_CHAT_MESSAGE, NULL);

  self = g_object_new (SEXTANT_TYPE_CHAT_TRANSCRIPT, NULL);
  self->messages = g_object_ref (messages);
  n = g_list_model_get_n_items (messages);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SextantChatMessage) message = g_list_model_get_item (messages, i);

      g_ptr_array_add (self->entries, entry_new (message));
    }
  update_starts (self, 0);
  g_signal_connect (messages, "items-changed", G_CALLBACK (messages_changed_cb), self);

  return self;
}

/**
 * sextant_chat_transcript_queue_update:
 * @self: a transcript
 * @message: a message of it whose text grew
 *
 * The new text is shown from the next sextant_chat_transcript_flush() on.
 */
void
sextant_chat_transcript_queue_update (SextantChatTranscript *self,
                                      SextantChatMessage    *message)
{
  g_return_if_fail (SEXTANT_IS_CHAT_TRANSCRIPT (self));
  g_return_if_fail (SEXTANT_IS_CHAT_MESSAGE (message));

  if (!g_ptr_array_find (self->queued, message, NULL))
    g_ptr_array_add (self->queued, g_object_ref (message));
}

/* Where to stop revealing: @budget bytes on, at a line end if one is near, never inside a
 * UTF-8 sequence. */
static gsize
reveal_end (const char *text,
            gsize       shown,
            gsize       len,
            gsize       budget)
{
  gsize end = budget >= len - shown ? len : shown + budget;
  const char *nl;

  if (end == len)
    return end;
  nl = g_strrstr_len (text + shown, end - shown, "\n");
  if (nl != NULL && (gsize) (nl + 1 - text) > shown + budget / 2)
    return nl + 1 - text;
  while (end > shown && (text[end] & 0xC0) == 0x80)
    end--;

  return end;
}

/* Returns whether the entry has more to show; adds the bytes it revealed to @revealed. */
static gboolean
flush_entry (SextantChatTranscript *self,
             guint                  index,
             gsize                  budget,
             gsize                 *revealed)
{
  Entry *entry = self->entries->pdata[index];
  const char *text = sextant_chat_message_get_text (entry->message);
  gsize len = strlen (text);
  guint old_n = entry_n_parts (entry);
  gsize old_shown;
  guint n_new;

  old_shown = MIN (entry->shown, len);
  entry->shown = reveal_end (text, old_shown, len, budget);
  *revealed += entry->shown - old_shown;
  n_new = entry_cut (entry);
  if (n_new == 0)
    {
      /* The last part grows. */
      if (entry->parts != NULL && entry->parts->len >= old_n && entry->parts->pdata[old_n - 1] != NULL)
        sextant_chat_part_set_end (entry->parts->pdata[old_n - 1], entry->shown);
      return entry->shown < len;
    }
  /* The last part closes at the first new cut and keeps its row; new parts follow it, the last
   * one growing. */
  if (entry->parts != NULL && entry->parts->len >= old_n && entry->parts->pdata[old_n - 1] != NULL)
    sextant_chat_part_close (entry->parts->pdata[old_n - 1], g_array_index (entry->cuts, gsize, old_n - 1));
  update_starts (self, index);
  g_list_model_items_changed (G_LIST_MODEL (self), start_of (self, index) + old_n, 0, n_new);

  return entry->shown < len;
}

/**
 * sextant_chat_transcript_flush:
 * @self: a transcript
 * @budget: how many more bytes of each queued message to show at most (G_MAXSIZE: all)
 *
 * Shows more of the queued messages. The chat window calls it once a frame with what it can lay
 * out in a frame, so a message that arrived faster than that is shown over the next frames.
 *
 * Returns: how many bytes were revealed
 */
gsize
sextant_chat_transcript_flush (SextantChatTranscript *self,
                               gsize                  budget)
{
  g_autoptr(GPtrArray) queued = NULL;
  gsize revealed = 0;

  g_return_val_if_fail (SEXTANT_IS_CHAT_TRANSCRIPT (self), 0);

  if (self->queued->len == 0)
    return 0;
  queued = g_steal_pointer (&self->queued);
  self->queued = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint q = 0; q < queued->len; q++)
    /* The message growing is nearly always the last one. */
    for (guint i = self->entries->len; i-- > 0;)
      if (((Entry *) self->entries->pdata[i])->message == queued->pdata[q])
        {
          if (flush_entry (self, i, MAX (budget, 1), &revealed))
            sextant_chat_transcript_queue_update (self, queued->pdata[q]);
          break;
        }

  return revealed;
}

/**
 * sextant_chat_transcript_get_pending:
 * @self: a transcript
 *
 * Returns: whether some message has text not shown yet
 */
gboolean
sextant_chat_transcript_get_pending (SextantChatTranscript *self)
{
  g_return_val_if_fail (SEXTANT_IS_CHAT_TRANSCRIPT (self), FALSE);

  return self->queued->len > 0;
}

#include "config.h"

#include <math.h>

#include "sextant-reveal-pacer.h"

/* The pacer against simulated machines whose frames cost fixed + per_byte × bytes: the budget
 * it chooses before each frame must keep frames near the 8 ms aim and never let one reach the
 * 16 ms of a frame at 60 Hz once it has seen a frame or two, also when the machine slows down
 * 1.6× between two frames (what made bench-chat-stream miss its target on a busier machine). */

#define TARGET_US 8000.0
#define FRAME_US  16000.0

typedef struct
{
  double fixed_us;
  double per_byte_us;
} Machine;

static gint64
run_frame (SextantRevealPacer *pacer,
           const Machine      *machine,
           double              noise,
           gsize              *budget)
{
  gint64 took;

  *budget = sextant_reveal_pacer_next_budget (pacer);
  took = (gint64) ((machine->fixed_us + machine->per_byte_us * *budget) * noise);
  sextant_reveal_pacer_frame_done (pacer, took, *budget);

  return took;
}

static void
test_converges (void)
{
  SextantRevealPacer pacer;
  Machine machine = { 2000, 0.5 };
  gsize budget = 0;

  sextant_reveal_pacer_init (&pacer, TARGET_US, 256, 65536);
  for (int i = 0; i < 60; i++)
    {
      gint64 took = run_frame (&pacer, &machine, 1.0, &budget);

      if (i >= 2)
        g_assert_cmpint (took, <=, TARGET_US + 1);
    }
  /* The aim is (8000 − 2000) / 0.5 = 12,000 bytes a frame: it is used, not wasted. */
  g_assert_cmpuint (budget, >=, 0.8 * 12000);
  g_assert_cmpuint (budget, <=, 12000);
}

static void
test_slowdown_is_believed_at_once (void)
{
  SextantRevealPacer pacer;
  Machine machine = { 2000, 0.5 };
  gsize budget = 0;

  sextant_reveal_pacer_init (&pacer, TARGET_US, 256, 65536);
  for (int i = 0; i < 30; i++)
    run_frame (&pacer, &machine, 1.0, &budget);
  machine.fixed_us *= 1.6;
  machine.per_byte_us *= 1.6;
  /* The first slow frame was planned for the fast machine: 1.6 × 8 ms, still within a frame. */
  g_assert_cmpint (run_frame (&pacer, &machine, 1.0, &budget), <, FRAME_US);
  /* The split between fixed and per-byte cost is learnt only as far as the budgets vary, so the
   * next frames may still pass the aim a little, never the frame, and settle on it. */
  for (int i = 0; i < 30; i++)
    {
      gint64 took = run_frame (&pacer, &machine, 1.0, &budget);

      g_assert_cmpint (took, <=, 1.25 * TARGET_US);
      if (i >= 20)
        g_assert_cmpint (took, <=, TARGET_US + 1);
    }
}

static void
test_noisy_machine (void)
{
  SextantRevealPacer pacer;
  Machine machine = { 3000, 1.2 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint over_frame = 0;
  guint frames = 2000;
  gsize budget = 0;

  sextant_reveal_pacer_init (&pacer, TARGET_US, 256, 65536);
  for (guint i = 0; i < frames; i++)
    {
      /* Each frame costs up to half as much again, or a third less, than the model says. */
      double noise = g_rand_double_range (rand, 0.67, 1.5);

      if (run_frame (&pacer, &machine, noise, &budget) > FRAME_US)
        over_frame++;
    }
  g_assert_cmpuint (over_frame, ==, 0);
  g_assert_cmpuint (budget, >=, 256);
}

static void
test_slow_machine_still_moves (void)
{
  SextantRevealPacer pacer;
  Machine machine = { 9000, 20 };
  gsize budget = 0;

  sextant_reveal_pacer_init (&pacer, TARGET_US, 256, 65536);
  for (int i = 0; i < 20; i++)
    run_frame (&pacer, &machine, 1.0, &budget);
  /* The fixed part alone exceeds the aim: the answer still moves by the minimum. */
  g_assert_cmpuint (budget, ==, 256);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sextant/reveal-pacer/converges", test_converges);
  g_test_add_func ("/sextant/reveal-pacer/slowdown-believed-at-once", test_slowdown_is_believed_at_once);
  g_test_add_func ("/sextant/reveal-pacer/noisy-machine", test_noisy_machine);
  g_test_add_func ("/sextant/reveal-pacer/slow-machine-still-moves", test_slow_machine_still_moves);

  return g_test_run ();
}

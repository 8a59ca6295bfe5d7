/* The baseline for bench-startup: the least a GTK 4 + libadwaita program does before its first
 * frame (an empty AdwApplicationWindow), measured the same way as Sextant. */
#include <adwaita.h>
#include <stdio.h>

static gint64 started_at;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  printf ("first-frame-ms %.3f\n", (g_get_monotonic_time () - started_at) / 1000.0);
  fflush (stdout);
  g_application_quit (G_APPLICATION (user_data));
}

static void
map_cb (GtkWidget *window,
        gpointer   app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), app);
}

static void
activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 720);
  g_signal_connect (window, "map", G_CALLBACK (map_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(AdwApplication) app = NULL;

  started_at = g_get_monotonic_time ();
  app = adw_application_new ("io.github.sextantdesk.Sextant.BenchBaseline",
                             G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}

/*
 * input.c — SDL events to the app's press/move/release; see input.h.
 * Touch arrives as SDL finger events (normalised coordinates); SDL also
 * synthesises mouse events from touch, which are ignored so that one finger
 * is one press.
 */
#include "input.h"

static int finger_x(const struct app *a, float fx)
{
    return (int)(fx * (float)a->ui.w);
}

static int finger_y(const struct app *a, float fy)
{
    return (int)(fy * (float)a->ui.h);
}

/* The window is gone (destroyed by another program, or the display shut
 * down): a kiosk without a window helps nobody, so it exits non-zero and
 * the service starts it again. */
static void window_lost(struct app *a, const char *why)
{
    log_msg("input", "the window is gone (%s): exiting so that the service restarts the kiosk",
            why);
    a->quit = true;
    a->exit_code = 1;
}

bool input_handle(struct app *a, const SDL_Event *e)
{
    switch (e->type) {
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            app_press(a, e->button.x, e->button.y);
        break;
    case SDL_MOUSEMOTION:
        if (e->motion.which != SDL_TOUCH_MOUSEID && (e->motion.state & SDL_BUTTON_LMASK))
            app_move(a, e->motion.x, e->motion.y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.which != SDL_TOUCH_MOUSEID && e->button.button == SDL_BUTTON_LEFT)
            return app_release(a, e->button.x, e->button.y);
        break;
    case SDL_FINGERDOWN:
        app_press(a, finger_x(a, e->tfinger.x), finger_y(a, e->tfinger.y));
        break;
    case SDL_FINGERMOTION:
        app_move(a, finger_x(a, e->tfinger.x), finger_y(a, e->tfinger.y));
        break;
    case SDL_FINGERUP:
        return app_release(a, finger_x(a, e->tfinger.x), finger_y(a, e->tfinger.y));
    case SDL_USEREVENT:
        app_answered(a); /* the writer or a worker has news */
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            ui_resize(&a->ui, e->window.data1, e->window.data2, a->screen_inches);
            app_warm_restart(a);
            a->dirty = true;
        } else if (e->window.event == SDL_WINDOWEVENT_EXPOSED) {
            a->dirty = true;
        } else if (e->window.event == SDL_WINDOWEVENT_CLOSE && !a->maintenance) {
            /* A window manager asking us to close: a kiosk stays. */
        }
        break;
    case SDL_QUIT:
        if (a->maintenance)
            a->quit = true;
        break;
    case SDL_RENDER_DEVICE_RESET:
        window_lost(a, "the render device was reset");
        break;
    default:
        /* Keys (Alt+F4, Escape, …) do nothing: there is no keyboard way out. */
        break;
    }
    return false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A jail that should have been loaded and was not. The policy's
 * on_load_failure decides what the boot does: "continue" (the default) goes
 * on without the jail, "emergency" stops in emergency mode, as systemd does
 * when a file system cannot be mounted. Either way the failure is loud: a
 * line on stderr (the console, at boot), a catalogued journal entry, and the
 * exit status that fails the unit.
 *
 * Only the run at boot stops anything: systemd is PID 1 and still starting
 * up. An administrator who runs the bootstrap by hand on a running system,
 * or from the emergency shell, gets the error and the exit status, never a
 * system torn down under them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "err.h"
#include "kernel.h"
#include "load_failure.h"

/* Explained in units/bpfjailer.catalog. */
#define MESSAGE_ID_LOAD_FAILED "1b841ae2689d417e85cd39daf18c0cd2"

/* PID 1's own socket: there before the D-Bus daemon, which starts long after the bootstrap. */
#define SYSTEMD_PRIVATE_BUS "unix:path=/run/systemd/private"
#define SYSTEMD_DEST "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"

static const char *failure_text(const struct policy_source *src, int exit_code)
{
	if (!src->text)
		return "the policy could not be read";
	switch (exit_code) {
	case BJ_EXIT_USAGE:
		return "the policy is invalid";
	case BJ_EXIT_KERNEL:
		return "the kernel lacks a requirement";
	default:
		return "loading, attaching or pinning failed";
	}
}

static const char *bus_error_text(const sd_bus_error *error, int r)
{
	return sd_bus_error_is_set(error) && error->message ? error->message : strerror(-r);
}

/*
 * "systemctl emergency" (isolate emergency.target) if systemd is booting,
 * without waiting for it: this run is part of the boot it stops. Returns
 * whether it asked; if not, says why in why_not.
 */
static bool stop_boot(char *why_not, size_t size)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	char *state = NULL;
	bool asked = false;
	int r;

	if (sd_booted() <= 0) {
		snprintf(why_not, size, "systemd is not running");
		return false;
	}
	r = sd_bus_new(&bus);
	if (r >= 0)
		r = sd_bus_set_address(bus, SYSTEMD_PRIVATE_BUS);
	if (r >= 0)
		r = sd_bus_start(bus);
	if (r < 0) {
		snprintf(why_not, size, "cannot connect to systemd (%s): %s", SYSTEMD_PRIVATE_BUS, strerror(-r));
		goto out;
	}
	r = sd_bus_get_property_string(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "SystemState",
				       &error, &state);
	if (r < 0) {
		snprintf(why_not, size, "cannot read systemd's SystemState: %s", bus_error_text(&error, r));
		goto out;
	}
	if (strcmp(state, "initializing") && strcmp(state, "starting")) {
		snprintf(why_not, size, "the system is not booting (it is %s)", state);
		goto out;
	}
	r = sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "StartUnit", &error, NULL,
			       "ss", "emergency.target", "isolate");
	if (r < 0)
		snprintf(why_not, size, "isolating emergency.target failed: %s", bus_error_text(&error, r));
	else
		asked = true;
out:
	free(state);
	sd_bus_error_free(&error);
	sd_bus_flush_close_unref(bus);
	return asked;
}

/* systemd says stderr goes to the journal by JOURNAL_STREAM=DEVICE:INODE of that stream. */
static bool stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 && fstat(STDERR_FILENO, &st) == 0 &&
	       st.st_dev == dev && st.st_ino == ino;
}

void load_failure(const struct policy_source *src, int exit_code)
{
	enum bj_on_load_failure action = BJ_ON_LOAD_FAILURE_CONTINUE;
	char message[512], why_not[256] = "";
	bool stopped = false, set = false;
	int r;

	if (src->text)
		set = policy_on_load_failure(src->text, src->len, &action);
	if (action == BJ_ON_LOAD_FAILURE_EMERGENCY)
		stopped = stop_boot(why_not, sizeof(why_not));
	snprintf(message, sizeof(message), "no jail loaded: %s (exit %d); on_load_failure is %s%s%s%s: %s",
		 failure_text(src, exit_code), exit_code, bj_on_load_failure_names[action],
		 set ? "" : " (the default)", *why_not ? ", but " : "", why_not,
		 stopped ? "stopping the boot in emergency mode" : "the system goes on without the jail");

	/* stderr reaches the console at boot; the journal entry carries the explanation (journalctl -x). */
	bj_fail(exit_code, "%s", message);
	if (!stderr_is_journal())
		return;
	r = sd_journal_send("MESSAGE=%s", message, "MESSAGE_ID=" MESSAGE_ID_LOAD_FAILED, "PRIORITY=%d", LOG_CRIT,
			    "SYSLOG_IDENTIFIER=%s", bj_program,
			    "BPFJAILER_POLICY=%s", src->origin ? src->origin : "(could not be read)",
			    "BPFJAILER_EXIT_STATUS=%d", exit_code,
			    "BPFJAILER_ON_LOAD_FAILURE=%s", bj_on_load_failure_names[action], NULL);
	if (r < 0)
		bj_err(r, "writing to the journal");
}

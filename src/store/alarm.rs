//! A deadline for a blocking system call of this thread: a timer that
//! interrupts the call (it fails with `EINTR`) once the deadline passes, and
//! again every few milliseconds after, so that a signal arriving just before
//! the call began cannot leave it blocked for good.
//!
//! The lock waits with it: the waiting process itself sleeps in the kernel's
//! queue and runs the moment the lock is granted, with no helper thread to
//! start and no hand-over between threads on the way.

use std::sync::Once;
use std::time::{Duration, Instant};

/// The signal the timer sends; its handler does nothing, it only interrupts.
const SIGNAL: libc::c_int = libc::SIGALRM;
/// How often the timer fires again after the deadline.
const AGAIN: Duration = Duration::from_millis(5);

extern "C" fn interrupt(_: libc::c_int) {}

/// A timer of this thread; deleted when dropped.
pub struct Alarm {
    timer: libc::timer_t,
}

fn timespec(d: Duration) -> libc::timespec {
    libc::timespec {
        tv_sec: d.as_secs() as libc::time_t,
        tv_nsec: d.subsec_nanos() as libc::c_long,
    }
}

impl Alarm {
    /// Interrupt this thread's blocking calls from `deadline` on; `None`
    /// when the system has no such timer (the caller then waits another way).
    pub fn at(deadline: Instant) -> Option<Alarm> {
        static HANDLER: Once = Once::new();
        HANDLER.call_once(|| {
            // SAFETY: installs a handler that does nothing; without
            // SA_RESTART, so that a blocked call returns EINTR.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = interrupt as *const () as libc::sighandler_t;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(SIGNAL, &action, std::ptr::null_mut());
            }
        });
        // SAFETY: a timer aimed at this thread (SIGEV_THREAD_ID), created and
        // armed with fully initialised arguments, deleted once in drop.
        unsafe {
            let mut event: libc::sigevent = std::mem::zeroed();
            event.sigev_notify = libc::SIGEV_THREAD_ID;
            event.sigev_signo = SIGNAL;
            event.sigev_notify_thread_id = libc::gettid();
            let mut timer: libc::timer_t = std::mem::zeroed();
            if libc::timer_create(libc::CLOCK_MONOTONIC, &mut event, &mut timer) != 0 {
                return None;
            }
            let alarm = Alarm { timer };
            let first = deadline.saturating_duration_since(Instant::now());
            let spec = libc::itimerspec {
                // A zero value would disarm the timer: at least 1 ns.
                it_value: timespec(first.max(Duration::from_nanos(1))),
                it_interval: timespec(AGAIN),
            };
            if libc::timer_settime(alarm.timer, 0, &spec, std::ptr::null_mut()) != 0 {
                return None;
            }
            Some(alarm)
        }
    }
}

impl Drop for Alarm {
    fn drop(&mut self) {
        // SAFETY: the timer made in `at`, deleted only here.
        unsafe { libc::timer_delete(self.timer) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blocking_call_returns_at_the_deadline() {
        let mut fds = [0; 2];
        // SAFETY: a pipe nobody writes to: reading it blocks.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        let start = Instant::now();
        let alarm = Alarm::at(start + Duration::from_millis(50)).expect("a timer");
        let mut byte = 0u8;
        // SAFETY: reads one byte into a local.
        let n = unsafe { libc::read(fds[0], (&mut byte as *mut u8).cast(), 1) };
        let err = std::io::Error::last_os_error();
        drop(alarm);
        assert_eq!((n, err.raw_os_error()), (-1, Some(libc::EINTR)));
        assert!(start.elapsed() >= Duration::from_millis(50));
        // SAFETY: the pipe's own descriptors, closed once.
        unsafe {
            libc::close(fds[0]);
            libc::close(fds[1]);
        }
    }
}

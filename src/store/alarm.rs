//! A deadline for a blocking system call of this thread: a timer that
//! interrupts the call (it fails with `EINTR`) once the deadline passes, and
//! again every few milliseconds after, so that a signal arriving just before
//! the call began cannot leave it blocked for good.
//!
//! The lock waits with it: the waiting process itself sleeps in the kernel's
//! queue and runs the moment the lock is granted, with no helper thread to
//! start and no hand-over between threads on the way.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The signal the timer sends; its handler does nothing, it only interrupts.
const SIGNAL: libc::c_int = libc::SIGALRM;
/// How often the timer fires again after the deadline.
const AGAIN: Duration = Duration::from_millis(5);

extern "C" fn interrupt(_: libc::c_int) {}

/// A timer of this thread, with the signal unblocked for it; deleted (and
/// the thread's signal mask restored) when dropped.
pub struct Alarm {
    timer: libc::timer_t,
    mask: libc::sigset_t,
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
    #[cfg(target_os = "linux")]
    pub fn at(deadline: Instant) -> Option<Alarm> {
        static HANDLER: OnceLock<bool> = OnceLock::new();
        // SAFETY: installs a handler that does nothing; without SA_RESTART,
        // so that a blocked call returns EINTR.
        let installed = *HANDLER.get_or_init(|| unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = interrupt as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(SIGNAL, &action, std::ptr::null_mut()) == 0
        });
        if !installed {
            return None;
        }
        // SAFETY: the signal is unblocked for this thread (a launcher may
        // have blocked it: the mask is inherited), then a timer aimed at this
        // thread (SIGEV_THREAD_ID) is created and armed with fully
        // initialised arguments; both are undone once, in drop.
        unsafe {
            let mut only: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut only);
            libc::sigaddset(&mut only, SIGNAL);
            let mut mask: libc::sigset_t = std::mem::zeroed();
            if libc::pthread_sigmask(libc::SIG_UNBLOCK, &only, &mut mask) != 0 {
                return None;
            }
            let mut event: libc::sigevent = std::mem::zeroed();
            event.sigev_notify = libc::SIGEV_THREAD_ID;
            event.sigev_signo = SIGNAL;
            event.sigev_notify_thread_id = libc::syscall(libc::SYS_gettid) as libc::c_int;
            let mut timer: libc::timer_t = std::mem::zeroed();
            if libc::timer_create(libc::CLOCK_MONOTONIC, &mut event, &mut timer) != 0 {
                libc::pthread_sigmask(libc::SIG_SETMASK, &mask, std::ptr::null_mut());
                return None;
            }
            let alarm = Alarm { timer, mask };
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

    /// No such timer here: the caller waits another way.
    #[cfg(not(target_os = "linux"))]
    pub fn at(_deadline: Instant) -> Option<Alarm> {
        None
    }
}

impl Drop for Alarm {
    fn drop(&mut self) {
        // SAFETY: the timer made in `at`, deleted only here, then the mask
        // the thread had before.
        unsafe {
            libc::timer_delete(self.timer);
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.mask, std::ptr::null_mut());
        }
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

    #[test]
    fn a_thread_that_blocks_the_signal_is_still_interrupted_and_keeps_its_mask() {
        std::thread::spawn(|| {
            // SAFETY: this thread's own mask, read and set with initialised sets.
            let blocked = |how: libc::c_int| unsafe {
                let mut set: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut set);
                libc::sigaddset(&mut set, SIGNAL);
                let mut old: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(how, &set, &mut old);
                libc::sigismember(&old, SIGNAL) == 1
            };
            blocked(libc::SIG_BLOCK);
            let mut fds = [0; 2];
            // SAFETY: as above: a pipe nobody writes to.
            assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
            let alarm = Alarm::at(Instant::now() + Duration::from_millis(20)).expect("a timer");
            let mut byte = 0u8;
            // SAFETY: reads one byte into a local.
            let n = unsafe { libc::read(fds[0], (&mut byte as *mut u8).cast(), 1) };
            drop(alarm);
            assert_eq!(n, -1);
            assert!(blocked(libc::SIG_BLOCK), "the mask it had is back");
        })
        .join()
        .unwrap();
    }
}

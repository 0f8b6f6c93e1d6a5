//! `boost <tid|self> <priority>`: asks the Booster driver to set a thread's priority (`self`: the client's own thread).
//! `boost --short` sends a request too short to hold one, to see the driver refuse it.
use booster_common::{ThreadData, DEVICE_PATH, IOCTL_SET_PRIORITY, MAX_PRIORITY, MIN_PRIORITY};
use device_io::Device;
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: boost <thread id|self> <priority {}..{}>  |  boost --short", MIN_PRIORITY, MAX_PRIORITY);
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let request: Vec<u8> = match args.as_slice() {
        [flag] if flag == "--short" => vec![1, 2, 3],
        [thread, priority] => {
            let thread_id = if thread == "self" { current_thread_id() } else { thread.parse::<u32>().unwrap_or(u32::MAX) };
            match (thread_id, priority.parse::<i32>()) {
                (u32::MAX, _) | (_, Err(_)) => return usage(),
                (thread_id, Ok(priority)) => ThreadData { thread_id, priority }.to_bytes().to_vec(),
            }
        }
        _ => return usage(),
    };

    match Device::open(DEVICE_PATH).and_then(|mut device| device.control(IOCTL_SET_PRIORITY, &request, 0)) {
        Ok(_) => {
            match ThreadData::from_bytes(&request) {
                Some(data) => println!("boost: thread {} set to priority {}", data.thread_id, data.priority),
                None => println!("boost: request accepted"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("boost: {}", error);
            ExitCode::FAILURE
        }
    }
}

/// The client's own thread id, for `boost self`.
#[cfg(windows)]
fn current_thread_id() -> u32 {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetCurrentThreadId() -> u32;
    }
    // SAFETY: no arguments, no preconditions.
    unsafe { GetCurrentThreadId() }
}

#[cfg(not(windows))]
fn current_thread_id() -> u32 {
    0
}

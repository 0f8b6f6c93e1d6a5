//! `boost <tid|self> <priority>`: asks the Booster driver to set a thread's priority (`self`: the client's own thread).
//! `boost --short` sends a request too short to hold one, to see the driver refuse it.
use booster_common::{ThreadData, DEVICE_PATH, IOCTL_SET_PRIORITY, MAX_PRIORITY, MIN_PRIORITY};
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
            let thread_id = if thread == "self" { device::current_thread_id() } else { thread.parse::<u32>().unwrap_or(u32::MAX) };
            match (thread_id, priority.parse::<i32>()) {
                (u32::MAX, _) | (_, Err(_)) => return usage(),
                (thread_id, Ok(priority)) => ThreadData { thread_id, priority }.to_bytes().to_vec(),
            }
        }
        _ => return usage(),
    };

    match device::send(DEVICE_PATH, IOCTL_SET_PRIORITY, &request) {
        Ok(()) => {
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

#[cfg(windows)]
mod device {
    use std::ffi::c_void;
    use std::fs::OpenOptions;
    use std::io;
    use std::os::windows::io::AsRawHandle;

    #[link(name = "kernel32")]
    extern "system" {
        fn GetCurrentThreadId() -> u32;
        fn DeviceIoControl(
            device: *mut c_void,
            code: u32,
            input: *const c_void,
            input_length: u32,
            output: *mut c_void,
            output_length: u32,
            returned: *mut u32,
            overlapped: *mut c_void,
        ) -> i32;
    }

    pub fn current_thread_id() -> u32 {
        // SAFETY: no arguments, no preconditions.
        unsafe { GetCurrentThreadId() }
    }

    pub fn send(path: &str, code: u32, input: &[u8]) -> io::Result<()> {
        let file = OpenOptions::new().read(true).write(true).open(path).map_err(|error| {
            io::Error::new(error.kind(), format!("cannot open {} (is the driver loaded?): {}", path, error))
        })?;
        let mut returned = 0u32;
        // SAFETY: the handle is open for the whole call and the buffers outlive it.
        let ok = unsafe {
            DeviceIoControl(
                file.as_raw_handle() as *mut c_void,
                code,
                input.as_ptr() as *const c_void,
                input.len() as u32,
                std::ptr::null_mut(),
                0,
                &mut returned,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

#[cfg(not(windows))]
mod device {
    use std::io;

    pub fn current_thread_id() -> u32 {
        0
    }

    pub fn send(_path: &str, _code: u32, _input: &[u8]) -> io::Result<()> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "the Booster client runs on Windows only"))
    }
}

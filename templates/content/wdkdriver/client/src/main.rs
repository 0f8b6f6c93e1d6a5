//! The client: pings the driver and prints its answer. Exit code 0 when the driver answered, 1 otherwise.
use mydriver_common::{decode_reply, DEVICE_PATH, IOCTL_PING, PING_REPLY};
use std::process::ExitCode;

fn main() -> ExitCode {
    match device::control(DEVICE_PATH, IOCTL_PING, 8).map(|reply| decode_reply(&reply)) {
        Ok(Some((PING_REPLY, count))) => {
            println!("MyDriver answered PING (ping {})", count);
            ExitCode::SUCCESS
        }
        Ok(other) => {
            eprintln!("mydriver-client: unexpected answer {:?}", other);
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("mydriver-client: {}", error);
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

    /// Sends a control code without input; returns what the driver wrote into an output buffer of `output_length`.
    pub fn control(path: &str, code: u32, output_length: usize) -> io::Result<Vec<u8>> {
        let file = OpenOptions::new().read(true).write(true).open(path).map_err(|error| {
            io::Error::new(error.kind(), format!("cannot open {} (is the driver loaded?): {}", path, error))
        })?;
        let mut output = vec![0u8; output_length];
        let mut returned = 0u32;
        // SAFETY: the handle is open for the whole call and the buffer outlives it.
        let ok = unsafe {
            DeviceIoControl(
                file.as_raw_handle() as *mut c_void,
                code,
                std::ptr::null(),
                0,
                output.as_mut_ptr() as *mut c_void,
                output_length as u32,
                &mut returned,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        output.truncate(returned as usize);
        Ok(output)
    }
}

#[cfg(not(windows))]
mod device {
    use std::io;

    pub fn control(_path: &str, _code: u32, _output_length: usize) -> io::Result<Vec<u8>> {
        Err(io::Error::new(io::ErrorKind::Unsupported, "the client runs on Windows only"))
    }
}

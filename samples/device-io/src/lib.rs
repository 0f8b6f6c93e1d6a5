//! A driver's device seen from its client: `Device::open`, then `control` for DeviceIoControl, or `Read`/`Write`
//! through `file()`. Declared by hand, as crates.io is out of reach; on other systems every call says so.
#[cfg(windows)]
pub use windows::Device;

#[cfg(not(windows))]
pub use other::Device;

#[cfg(windows)]
mod windows {
    use std::ffi::c_void;
    use std::fs::{File, OpenOptions};
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

    pub struct Device(File);

    impl Device {
        /// Opens the device for reading and writing (`\\.\Name`).
        pub fn open(path: &str) -> io::Result<Device> {
            OpenOptions::new().read(true).write(true).open(path).map(Device).map_err(|error| {
                io::Error::new(error.kind(), format!("cannot open {} (is the driver loaded?): {}", path, error))
            })
        }

        /// The device as a file, for `Read` and `Write` (IRP_MJ_READ and IRP_MJ_WRITE).
        pub fn file(&mut self) -> &mut File {
            &mut self.0
        }

        /// Sends `code` with `input`; returns what the driver wrote into an output buffer of `output_length` bytes.
        pub fn control(&mut self, code: u32, input: &[u8], output_length: usize) -> io::Result<Vec<u8>> {
            let mut output = vec![0u8; output_length];
            let mut returned = 0u32;
            // SAFETY: the handle is open for the whole call and both buffers outlive it.
            let ok = unsafe {
                DeviceIoControl(
                    self.0.as_raw_handle() as *mut c_void,
                    code,
                    input.as_ptr() as *const c_void,
                    input.len() as u32,
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
}

#[cfg(not(windows))]
mod other {
    use std::fs::File;
    use std::io;

    /// Never made: `open` fails on systems other than Windows.
    pub struct Device(File);

    impl Device {
        pub fn open(_path: &str) -> io::Result<Device> {
            Err(unsupported())
        }

        pub fn file(&mut self) -> &mut File {
            &mut self.0
        }

        pub fn control(&mut self, _code: u32, _input: &[u8], _output_length: usize) -> io::Result<Vec<u8>> {
            Err(unsupported())
        }
    }

    fn unsupported() -> io::Error {
        io::Error::new(io::ErrorKind::Unsupported, "a driver's client runs on Windows only")
    }
}

//! `zero`: exercises the Zero driver: clears its counters, reads (the bytes must come back zero), writes, checks the
//! counters, clears them again and checks that a too-short buffer for them is refused. Exit code 0 when the driver
//! did everything right, 1 otherwise.
use std::process::ExitCode;
use zero_common::{Stats, DEVICE_PATH, IOCTL_ZERO_CLEAR_STATS, IOCTL_ZERO_GET_STATS};

fn main() -> ExitCode {
    match run() {
        Ok(()) => {
            println!("zero: the driver did everything right");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("zero: {}", error);
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut device = device::Device::open(DEVICE_PATH)?;
    device.control(IOCTL_ZERO_CLEAR_STATS, 0)?;

    read_zeros(&mut device, 1024)?;
    let written = device.write(&[0x5a; 500])?;
    println!("wrote {} bytes", written);
    read_zeros(&mut device, 256)?;

    let counted = stats(&mut device)?;
    println!("stats: read {}, written {}", counted.bytes_read, counted.bytes_written);
    if counted != (Stats { bytes_read: 1280, bytes_written: 500 }) {
        return Err(format!("expected read 1280 and written 500, the driver counted {:?}", counted));
    }

    device.control(IOCTL_ZERO_CLEAR_STATS, 0)?;
    let cleared = stats(&mut device)?;
    println!("stats after clear: read {}, written {}", cleared.bytes_read, cleared.bytes_written);
    if cleared != Stats::default() {
        return Err(format!("the counters were not cleared: {:?}", cleared));
    }

    match device.control(IOCTL_ZERO_GET_STATS, 8) {
        Err(error) => println!("short statistics buffer refused: {}", error),
        Ok(bytes) => return Err(format!("an 8-byte buffer for the statistics was accepted ({} bytes)", bytes.len())),
    }
    Ok(())
}

fn read_zeros(device: &mut device::Device, length: usize) -> Result<(), String> {
    let mut buffer = vec![0xa5u8; length];
    let read = device.read(&mut buffer)?;
    if read != length || buffer.iter().any(|&b| b != 0) {
        return Err(format!("a read of {} bytes returned {} bytes, not all zero", length, read));
    }
    println!("read {} bytes, all zero", read);
    Ok(())
}

fn stats(device: &mut device::Device) -> Result<Stats, String> {
    let bytes = device.control(IOCTL_ZERO_GET_STATS, Stats::SIZE)?;
    Stats::from_bytes(&bytes).ok_or_else(|| format!("the statistics came back as {} bytes", bytes.len()))
}

#[cfg(windows)]
mod device {
    use std::ffi::c_void;
    use std::fs::{File, OpenOptions};
    use std::io::{Read, Write};
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
        pub fn open(path: &str) -> Result<Device, String> {
            OpenOptions::new().read(true).write(true).open(path).map(Device).map_err(|e| format!("cannot open {} (is the driver loaded?): {}", path, e))
        }

        pub fn read(&mut self, buffer: &mut [u8]) -> Result<usize, String> {
            self.0.read(buffer).map_err(|e| format!("read failed: {}", e))
        }

        pub fn write(&mut self, buffer: &[u8]) -> Result<usize, String> {
            self.0.write(buffer).map_err(|e| format!("write failed: {}", e))
        }

        /// Sends a control code with no input; returns the bytes the driver wrote into an output buffer of `output_length`.
        pub fn control(&mut self, code: u32, output_length: usize) -> Result<Vec<u8>, String> {
            let mut output = vec![0u8; output_length];
            let mut returned = 0u32;
            // SAFETY: the handle is open for the whole call and the buffer outlives it.
            let ok = unsafe {
                DeviceIoControl(
                    self.0.as_raw_handle() as *mut c_void,
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
                return Err(format!("control code 0x{:08X} failed: {}", code, std::io::Error::last_os_error()));
            }
            output.truncate(returned as usize);
            Ok(output)
        }
    }
}

#[cfg(not(windows))]
mod device {
    pub struct Device;

    impl Device {
        pub fn open(_path: &str) -> Result<Device, String> {
            Err("the Zero client runs on Windows only".to_string())
        }

        pub fn read(&mut self, _buffer: &mut [u8]) -> Result<usize, String> {
            unreachable!()
        }

        pub fn write(&mut self, _buffer: &[u8]) -> Result<usize, String> {
            unreachable!()
        }

        pub fn control(&mut self, _code: u32, _output_length: usize) -> Result<Vec<u8>, String> {
            unreachable!()
        }
    }
}

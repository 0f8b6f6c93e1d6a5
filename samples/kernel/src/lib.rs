//! The few Windows kernel types and routines small WDM drivers use, declared by hand (no crates.io here), and the
//! helpers every one of them needs: DriverEntry and DriverUnload (`driver!`), request completion, the panic handler. The samples share it,
//! and `dotnet new wdkdriver` ships it; add what your driver needs from the WDK's wdm.h. Layouts are
//! those of 64-bit Windows (x64 and ARM64 alike); the `const` assertions below pin the offsets the drivers rely on.
#![no_std]
#![allow(non_snake_case, non_camel_case_types, clippy::missing_safety_doc)]

use core::ffi::c_void;

pub type NTSTATUS = i32;
pub const STATUS_SUCCESS: NTSTATUS = 0;
pub const STATUS_INVALID_PARAMETER: NTSTATUS = 0xC000_000Du32 as i32;
pub const STATUS_INVALID_DEVICE_REQUEST: NTSTATUS = 0xC000_0010u32 as i32;
pub const STATUS_BUFFER_TOO_SMALL: NTSTATUS = 0xC000_0023u32 as i32;

pub const fn nt_success(status: NTSTATUS) -> bool {
    status >= 0
}

pub const IRP_MJ_CREATE: usize = 0x00;
pub const IRP_MJ_CLOSE: usize = 0x02;
pub const IRP_MJ_READ: usize = 0x03;
pub const IRP_MJ_WRITE: usize = 0x04;
pub const IRP_MJ_DEVICE_CONTROL: usize = 0x0e;
pub const IRP_MJ_MAXIMUM_FUNCTION: usize = 0x1b;
pub const IO_NO_INCREMENT: i8 = 0;
pub const FILE_DEVICE_SECURE_OPEN: u32 = 0x0000_0100;
pub const DO_BUFFERED_IO: u32 = 0x0000_0004;

#[repr(C)]
pub struct UNICODE_STRING {
    pub Length: u16,
    pub MaximumLength: u16,
    pub Buffer: *const u16,
}

impl UNICODE_STRING {
    /// Wraps a NUL-free UTF-16 string that lives for the whole driver lifetime.
    pub const fn from_static(text: &'static [u16]) -> UNICODE_STRING {
        let bytes = (text.len() * 2) as u16;
        UNICODE_STRING { Length: bytes, MaximumLength: bytes, Buffer: text.as_ptr() }
    }
}

/// ASCII to UTF-16 at compile time, for device and link names.
pub const fn utf16<const N: usize>(text: &str) -> [u16; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() == N, "length must match");
    let mut wide = [0u16; N];
    let mut i = 0;
    while i < N {
        wide[i] = bytes[i] as u16;
        i += 1;
    }
    wide
}

pub type DRIVER_DISPATCH = unsafe extern "system" fn(*mut DEVICE_OBJECT, *mut IRP) -> NTSTATUS;
pub type DRIVER_UNLOAD = unsafe extern "system" fn(*mut DRIVER_OBJECT);

#[repr(C)]
pub struct DRIVER_OBJECT {
    pub Type: i16,
    pub Size: i16,
    pub DeviceObject: *mut DEVICE_OBJECT,
    pub Flags: u32,
    pub DriverStart: *mut c_void,
    pub DriverSize: u32,
    pub DriverSection: *mut c_void,
    pub DriverExtension: *mut c_void,
    pub DriverName: UNICODE_STRING,
    pub HardwareDatabase: *mut UNICODE_STRING,
    pub FastIoDispatch: *mut c_void,
    pub DriverInit: *mut c_void,
    pub DriverStartIo: *mut c_void,
    pub DriverUnload: Option<DRIVER_UNLOAD>,
    pub MajorFunction: [Option<DRIVER_DISPATCH>; IRP_MJ_MAXIMUM_FUNCTION + 1],
}

/// Only the fields up to `Flags` are touched; the rest of the object belongs to the I/O manager.
#[repr(C)]
pub struct DEVICE_OBJECT {
    pub Type: i16,
    pub Size: u16,
    pub ReferenceCount: i32,
    pub DriverObject: *mut DRIVER_OBJECT,
    pub NextDevice: *mut DEVICE_OBJECT,
    pub AttachedDevice: *mut DEVICE_OBJECT,
    pub CurrentIrp: *mut IRP,
    pub Timer: *mut c_void,
    pub Flags: u32,
}

#[repr(C)]
pub struct IO_STATUS_BLOCK {
    pub Status: NTSTATUS,
    pub Information: usize,
}

#[repr(C)]
pub struct IRP {
    pub Type: i16,
    pub Size: u16,
    pub AllocationProcessorNumber: u16,
    pub Reserved: u16,
    pub MdlAddress: *mut c_void,
    pub Flags: u32,
    pub SystemBuffer: *mut c_void,
    pub ThreadListEntry: [*mut c_void; 2],
    pub IoStatus: IO_STATUS_BLOCK,
    pub RequestorMode: i8,
    pub PendingReturned: u8,
    pub StackCount: i8,
    pub CurrentLocation: i8,
    pub Cancel: u8,
    pub CancelIrql: u8,
    pub ApcEnvironment: i8,
    pub AllocationFlags: u8,
    pub UserIosb: *mut IO_STATUS_BLOCK,
    pub UserEvent: *mut c_void,
    pub Overlay: [u64; 2],
    pub CancelRoutine: *mut c_void,
    pub UserBuffer: *mut c_void,
    pub DriverContext: [*mut c_void; 4],
    pub Thread: *mut c_void,
    pub AuxiliaryBuffer: *mut c_void,
    pub ListEntry: [*mut c_void; 2],
    pub CurrentStackLocation: *mut IO_STACK_LOCATION,
    pub OriginalFileObject: *mut c_void,
    pub IrpExtension: *mut c_void,
}

/// `Parameters.DeviceIoControl` of a stack location.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct DEVICE_IO_CONTROL_PARAMETERS {
    pub OutputBufferLength: u32,
    _pad0: u32,
    pub InputBufferLength: u32,
    _pad1: u32,
    pub IoControlCode: u32,
    _pad2: u32,
    pub Type3InputBuffer: *mut c_void,
}

/// `Parameters.Read` and `Parameters.Write` of a stack location (the same layout).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct READ_WRITE_PARAMETERS {
    pub Length: u32,
    _pad0: u32,
    pub Key: u32,
    _pad1: u32,
    pub ByteOffset: i64,
}

/// The part of the stack location's parameter union the samples use.
#[repr(C)]
pub union IO_STACK_PARAMETERS {
    pub DeviceIoControl: DEVICE_IO_CONTROL_PARAMETERS,
    pub Read: READ_WRITE_PARAMETERS,
    pub Write: READ_WRITE_PARAMETERS,
}

#[repr(C)]
pub struct IO_STACK_LOCATION {
    pub MajorFunction: u8,
    pub MinorFunction: u8,
    pub Flags: u8,
    pub Control: u8,
    pub Parameters: IO_STACK_PARAMETERS,
    pub DeviceObject: *mut DEVICE_OBJECT,
    pub FileObject: *mut c_void,
    pub CompletionRoutine: *mut c_void,
    pub Context: *mut c_void,
}

const _: () = assert!(core::mem::size_of::<DRIVER_OBJECT>() == 0x150);
const _: () = assert!(core::mem::size_of::<IRP>() == 0xd0);
const _: () = assert!(core::mem::size_of::<IO_STACK_LOCATION>() == 0x48);
const _: () = assert!(core::mem::size_of::<IO_STACK_PARAMETERS>() == 0x20);

pub type PETHREAD = *mut c_void;

// On the MSVC targets rustc writes the import entries itself (raw-dylib): no import library from the WDK or mingw.
// +verbatim keeps the DLL's name as written.
#[cfg_attr(target_env = "msvc", link(name = "ntoskrnl.exe", kind = "raw-dylib", modifiers = "+verbatim"))]
extern "system" {
    pub fn IoCreateDevice(
        driver: *mut DRIVER_OBJECT,
        extension_size: u32,
        name: *const UNICODE_STRING,
        device_type: u32,
        characteristics: u32,
        exclusive: u8,
        device: *mut *mut DEVICE_OBJECT,
    ) -> NTSTATUS;
    pub fn IoDeleteDevice(device: *mut DEVICE_OBJECT);
    pub fn IoCreateSymbolicLink(link: *const UNICODE_STRING, target: *const UNICODE_STRING) -> NTSTATUS;
    pub fn IoDeleteSymbolicLink(link: *const UNICODE_STRING) -> NTSTATUS;
    pub fn IofCompleteRequest(irp: *mut IRP, boost: i8);
    pub fn PsLookupThreadByThreadId(thread_id: *mut c_void, thread: *mut PETHREAD) -> NTSTATUS;
    pub fn KeSetPriorityThread(thread: PETHREAD, priority: i32) -> i32;
    pub fn ObfDereferenceObject(object: *mut c_void) -> isize;
}

#[cfg_attr(target_env = "msvc", link(name = "ntoskrnl.exe", kind = "raw-dylib", modifiers = "+verbatim"))]
extern "C" {
    pub fn DbgPrint(format: *const u8, ...) -> u32;
}

/// Completes a request with a status and the number of bytes it transferred; returns the status for the dispatch routine.
///
/// # Safety
/// `irp` is a request the calling dispatch routine owns and has not completed.
pub unsafe fn complete(irp: *mut IRP, status: NTSTATUS, information: usize) -> NTSTATUS {
    (*irp).IoStatus.Status = status;
    (*irp).IoStatus.Information = information;
    IofCompleteRequest(irp, IO_NO_INCREMENT);
    status
}

/// Declares a driver's `DriverEntry` and `DriverUnload` with what every small WDM driver needs: the device
/// `\Device\<name>` with buffered I/O and its link `\??\<name>` (user mode opens `\\.\<name>`), create and close
/// requests that succeed, the given dispatch routines, and "<name>: loaded" / "<name>: unloaded" in the debug output.
///
/// ```ignore
/// wdm_kernel::driver!("Zero", DEVICE_TYPE, [IRP_MJ_READ => zero_read, IRP_MJ_DEVICE_CONTROL => zero_control]);
/// ```
#[macro_export]
macro_rules! driver {
    ($name:literal, $device_type:expr, [$($major:expr => $routine:expr),* $(,)?]) => {
        static DEVICE_NAME: [u16; concat!("\\Device\\", $name).len()] = $crate::utf16(concat!("\\Device\\", $name));
        static LINK_NAME: [u16; concat!("\\??\\", $name).len()] = $crate::utf16(concat!("\\??\\", $name));

        /// Keeps one absolute address in the image so the linker emits a relocation section: a driver must be relocatable.
        #[used]
        static RELOCATION_ANCHOR: unsafe extern "system" fn(*mut $crate::DRIVER_OBJECT, *const $crate::UNICODE_STRING) -> $crate::NTSTATUS =
            DriverEntry;

        /// # Safety
        /// Called once by the I/O manager with a valid driver object.
        #[no_mangle]
        pub unsafe extern "system" fn DriverEntry(driver: *mut $crate::DRIVER_OBJECT, _registry_path: *const $crate::UNICODE_STRING) -> $crate::NTSTATUS {
            $crate::start_driver(driver, &DEVICE_NAME, &LINK_NAME, $device_type, concat!($name, "\0"), driver_unload, &[$(($major, $routine as $crate::DRIVER_DISPATCH)),*])
        }

        unsafe extern "system" fn driver_unload(driver: *mut $crate::DRIVER_OBJECT) {
            $crate::stop_driver(driver, &LINK_NAME, concat!($name, "\0"));
        }
    };
}

/// What [`driver!`]'s DriverEntry does: creates the device and its link, then sets the routines.
///
/// # Safety
/// `driver` is the driver object DriverEntry received; `name` ends with a NUL.
pub unsafe fn start_driver(
    driver: *mut DRIVER_OBJECT,
    device_name: &'static [u16],
    link_name: &'static [u16],
    device_type: u32,
    name: &str,
    unload: DRIVER_UNLOAD,
    dispatch: &[(usize, DRIVER_DISPATCH)],
) -> NTSTATUS {
    if let Err(status) = create_device(driver, &UNICODE_STRING::from_static(device_name), &UNICODE_STRING::from_static(link_name), device_type) {
        DbgPrint(b"%s: cannot create the device (0x%08X)\n\0".as_ptr(), name.as_ptr(), status);
        return status;
    }

    (*driver).DriverUnload = Some(unload);
    (*driver).MajorFunction[IRP_MJ_CREATE] = Some(succeed);
    (*driver).MajorFunction[IRP_MJ_CLOSE] = Some(succeed);
    for &(major, routine) in dispatch {
        (*driver).MajorFunction[major] = Some(routine);
    }
    DbgPrint(b"%s: loaded\n\0".as_ptr(), name.as_ptr());
    STATUS_SUCCESS
}

/// What [`driver!`]'s DriverUnload does: removes the link and the device.
///
/// # Safety
/// `driver` is the driver object whose DriverEntry was [`start_driver`]; `name` ends with a NUL.
pub unsafe fn stop_driver(driver: *mut DRIVER_OBJECT, link_name: &'static [u16], name: &str) {
    delete_device(driver, &UNICODE_STRING::from_static(link_name));
    DbgPrint(b"%s: unloaded\n\0".as_ptr(), name.as_ptr());
}

/// Create and close requests: nothing to open or release, so they succeed.
unsafe extern "system" fn succeed(_device: *mut DEVICE_OBJECT, irp: *mut IRP) -> NTSTATUS {
    complete(irp, STATUS_SUCCESS, 0)
}

/// Creates the driver's device with buffered I/O and its symbolic link (user mode opens `\\.\<name>`).
///
/// # Safety
/// `driver` is the driver object DriverEntry received.
unsafe fn create_device(
    driver: *mut DRIVER_OBJECT,
    device_name: &UNICODE_STRING,
    link_name: &UNICODE_STRING,
    device_type: u32,
) -> Result<*mut DEVICE_OBJECT, NTSTATUS> {
    let mut device: *mut DEVICE_OBJECT = core::ptr::null_mut();
    let status = IoCreateDevice(driver, 0, device_name, device_type, FILE_DEVICE_SECURE_OPEN, 0, &mut device);
    if !nt_success(status) {
        return Err(status);
    }
    (*device).Flags |= DO_BUFFERED_IO;

    let status = IoCreateSymbolicLink(link_name, device_name);
    if !nt_success(status) {
        IoDeleteDevice(device);
        return Err(status);
    }
    Ok(device)
}

/// Removes what [`create_device`] made: the link, then the device.
///
/// # Safety
/// Called from DriverUnload of a driver whose DriverEntry called [`create_device`].
unsafe fn delete_device(driver: *mut DRIVER_OBJECT, link_name: &UNICODE_STRING) {
    IoDeleteSymbolicLink(link_name);
    IoDeleteDevice((*driver).DeviceObject);
}

/// A kernel driver cannot unwind; a panic stops here (and shows in a debugger).
#[cfg(target_os = "windows")]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// The prebuilt `core` of the windows-gnu target was compiled with unwinding; nothing here unwinds, but the symbol
/// must exist for unoptimised builds to link.
#[cfg(all(target_os = "windows", target_env = "gnu"))]
#[no_mangle]
pub extern "C" fn rust_eh_personality() {}

/// The MSVC C runtime defines this marker for code that uses floating point; `core` refers to it, and a driver links
/// no C runtime.
#[cfg(target_env = "msvc")]
#[export_name = "_fltused"]
static FLOATING_POINT_USED: i32 = 0;

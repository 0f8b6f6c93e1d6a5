//! The few kernel types and routines this driver uses, declared by hand. Layouts are those of 64-bit Windows; the
//! `const` assertions pin the offsets the driver relies on. Add what your driver needs from the WDK's wdm.h.
#![allow(non_snake_case, non_camel_case_types, dead_code)]

use core::ffi::c_void;

pub type NTSTATUS = i32;
pub const STATUS_SUCCESS: NTSTATUS = 0;
pub const STATUS_INVALID_DEVICE_REQUEST: NTSTATUS = 0xC000_0010u32 as i32;
pub const STATUS_BUFFER_TOO_SMALL: NTSTATUS = 0xC000_0023u32 as i32;

pub const IRP_MJ_CREATE: usize = 0x00;
pub const IRP_MJ_CLOSE: usize = 0x02;
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

/// Only the fields up to `Flags`; the rest of the object belongs to the I/O manager.
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

/// The fields up to `CurrentStackLocation`, with the ones in between kept as opaque space.
#[repr(C)]
pub struct IRP {
    pub Type: i16,
    pub Size: u16,
    _reserved0: [u16; 2],
    pub MdlAddress: *mut c_void,
    pub Flags: u32,
    pub SystemBuffer: *mut c_void,
    _reserved1: [*mut c_void; 2],
    pub IoStatus: IO_STATUS_BLOCK,
    _reserved2: [u8; 8],
    _reserved3: [*mut c_void; 14],
    pub CurrentStackLocation: *mut IO_STACK_LOCATION,
    _reserved4: [*mut c_void; 2],
}

/// `Parameters.DeviceIoControl` of a stack location.
#[repr(C)]
pub struct DEVICE_IO_CONTROL_PARAMETERS {
    pub OutputBufferLength: u32,
    _pad0: u32,
    pub InputBufferLength: u32,
    _pad1: u32,
    pub IoControlCode: u32,
    _pad2: u32,
    pub Type3InputBuffer: *mut c_void,
}

#[repr(C)]
pub struct IO_STACK_LOCATION {
    pub MajorFunction: u8,
    pub MinorFunction: u8,
    pub Flags: u8,
    pub Control: u8,
    pub DeviceIoControl: DEVICE_IO_CONTROL_PARAMETERS,
    pub DeviceObject: *mut DEVICE_OBJECT,
    pub FileObject: *mut c_void,
    pub CompletionRoutine: *mut c_void,
    pub Context: *mut c_void,
}

const _: () = assert!(core::mem::size_of::<DRIVER_OBJECT>() == 0x150);
const _: () = assert!(core::mem::size_of::<IRP>() == 0xd0);
const _: () = assert!(core::mem::size_of::<IO_STACK_LOCATION>() == 0x48);

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
}

extern "C" {
    pub fn DbgPrint(format: *const u8, ...) -> u32;
}

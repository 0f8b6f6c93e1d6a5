namespace WdkDriver.Core.Diagnostics;

/// <summary>Every code the engine reports. Each one is documented in docs/error-codes.md.</summary>
public static class ErrorCodes
{
    // WDK1xxx: the SDK and cargo.
    public const string InternalError = "WDK1000";
    public const string CargoManifestMissing = "WDK1001";
    public const string CargoNotFound = "WDK1002";
    public const string TargetStdMissing = "WDK1003";
    public const string CargoMetadataFailed = "WDK1004";
    public const string NoDriverCrate = "WDK1005";
    public const string SeveralDriverCrates = "WDK1006";
    public const string DriverCrateNotFound = "WDK1007";
    public const string DriverCrateNotCdylib = "WDK1008";
    public const string DriverModelMissing = "WDK1009";
    public const string DriverModelInconsistent = "WDK1010";
    public const string DriverModelInvalid = "WDK1011";
    public const string WdfNeedsWindows = "WDK1012";
    public const string UnsupportedPlatform = "WDK1013";
    public const string CargoBuildFailed = "WDK1014";
    public const string CargoError = "WDK1015";
    public const string DriverBinaryMissing = "WDK1016";
    public const string UnknownConfiguration = "WDK1017";
    public const string RustTargetMismatch = "WDK1018";
    public const string CargoTestFailed = "WDK1022";
    public const string StageInputsUnwritable = "WDK1023";
    public const string RustcError = "WDK1024";
    public const string MsvcLinkerMissing = "WDK1025";
    public const string ClientNotBuilt = "WDK1026";

    // WDK2xxx: INF stamping and the validator's own failures (findings are INF<InfVerif's number>).
    public const string InfUnreadable = "WDK2001";
    public const string InfOutputFailed = "WDK2002";
    public const string DriverVersionInvalid = "WDK2003";
    public const string DriverDateInvalid = "WDK2004";
    public const string DriverVerMissing = "WDK2005";
    public const string StampSectionMissing = "WDK2006";
    public const string BuildNotReproducible = "WDK2007";
    public const string InfNotFound = "WDK2008";
    public const string InfVerifModeUnknown = "WDK2009";
    public const string ArchitectureUnknown = "WDK2010";
    public const string WdfVersionInvalid = "WDK2011";
    public const string InfVerifCodeInvalid = "WDK2012";

    // WDK3xxx: catalogs and the files they cover.
    public const string PeImageMalformed = "WDK3001";
    public const string FileUnreadable = "WDK3002";
    public const string CatalogMalformed = "WDK3003";
    public const string OsIdUnknown = "WDK3004";
    public const string CatalogFileMissing = "WDK3005";
    public const string CatalogDriverVerInvalid = "WDK3006";
    public const string CatalogOutputFailed = "WDK3007";
    public const string CatalogListIdInvalid = "WDK3008";
    public const string CatalogInfMissing = "WDK3009";
    public const string CatalogTimeInvalid = "WDK3010";
    public const string CatalogNamesDiffer = "WDK3011";
    public const string CatalogVersionInvalid = "WDK3012";
    public const string ServiceBinaryNotInstalled = "WDK3013";

    // WDK4xxx: signing and verification.
    public const string SigningKeyUnusable = "WDK4001";
    public const string SignInputInvalid = "WDK4002";
    public const string SignOutputFailed = "WDK4003";
    public const string TestCertificateFailed = "WDK4004";
    public const string SignSetupInvalid = "WDK4005";
    public const string SignCommandFailed = "WDK4006";
    public const string TimestampFailed = "WDK4007";
    public const string TokenLoginFailed = "WDK4008";
    public const string NotSigned = "WDK4010";
    public const string SignatureInvalid = "WDK4011";
    public const string DigestMismatch = "WDK4012";
    public const string ChainUntrusted = "WDK4013";
    public const string NotCatalogMember = "WDK4014";
    public const string NotMicrosoftSigned = "WDK4015";
    public const string CertificateRevoked = "WDK4016";
    public const string RevocationListInvalid = "WDK4017";
    public const string TimestampInvalid = "WDK4018";
    public const string CloudSignInRefused = "WDK4020";
    public const string CloudKeyMissing = "WDK4021";
    public const string CloudSigningFailed = "WDK4022";

    // WDK5xxx: packaging.
    public const string PackageLayoutFailed = "WDK5001";
    public const string PackagePathInvalid = "WDK5002";
    public const string PackageArchiveFailed = "WDK5004";
    public const string InstallPlanInvalid = "WDK5011";
    public const string CabinetInputInvalid = "WDK5020";
    public const string CabinetWriteFailed = "WDK5021";
    public const string CabinetMalformed = "WDK5022";
    public const string CabinetChecksumMismatch = "WDK5023";
    public const string CabinetCompressionUnsupported = "WDK5024";
    public const string CabinetUnsafeName = "WDK5025";
    public const string CabinetExtractFailed = "WDK5026";
    public const string CompoundFileInputInvalid = "WDK5040";
    public const string CompoundFileMalformed = "WDK5041";
    public const string InstallerSettingsInvalid = "WDK5050";
    public const string InstallerPackageInvalid = "WDK5051";
    public const string InstallerWriteFailed = "WDK5052";
    public const string InstallerTableInvalid = "WDK5054";
    public const string InstallerMalformed = "WDK5055";
    public const string WritableExecutableSection = "WDK5060";
    public const string SectionsNotPageAligned = "WDK5061";
    public const string SymbolsStale = "WDK5062";
    public const string ImageUnreadable = "WDK5063";
    public const string SymbolStoreWriteFailed = "WDK5064";
    public const string SubmissionFolderInvalid = "WDK5030";
    public const string SubmissionPackageInvalid = "WDK5031";
    public const string SubmissionWithoutSymbols = "WDK5032";

    // WDK6xxx: driver test runs.
    public const string DriverTestWineMissing = "WDK6001";
    public const string DriverTestPrefixFailed = "WDK6002";
    public const string DriverTestInstallFailed = "WDK6003";
    public const string DriverTestStartFailed = "WDK6004";
    public const string DriverTestExitCode = "WDK6005";
    public const string DriverTestOutputMissing = "WDK6006";
    public const string DriverTestStopFailed = "WDK6007";
    public const string DriverTestTimedOut = "WDK6008";
    public const string DriverTestNeedsTestMachine = "WDK6009";
    public const string DriverTestClientMissing = "WDK6010";
    public const string DriverTestStepMissing = "WDK6011";
    public const string DriverTestSummaryUnwritable = "WDK6012";

    // WDK7xxx: release through Partner Center.
    public const string SignInFailed = "WDK7001";
    public const string HardwareApiFailed = "WDK7002";
    public const string UploadFailed = "WDK7003";
    public const string SubmissionFailed = "WDK7004";
    public const string SubmissionTimedOut = "WDK7005";
    public const string SubmissionStateInvalid = "WDK7006";
    public const string SubmissionSetupInvalid = "WDK7007";
    public const string SignedPackageInvalid = "WDK7008";
}

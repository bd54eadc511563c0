// swift-tools-version:6.0
import PackageDescription

/// Release builds of the programs allocate with tcmalloc (gperftools' minimal one, Debian's libgoogle-perftools-dev): a
/// build makes and frees millions of small objects. jemalloc, used before, spent an eighth less CPU than glibc's
/// allocator; tcmalloc spends 3% less again. Debug builds keep glibc's, so that the tests can run under AddressSanitizer, which
/// brings its own.
///
/// They also link the Swift standard library and Foundation statically (as `--static-swift-stdlib` does): every
/// reference count and runtime call is then a direct call rather than one through a shared library's tables, which
/// saved about 2% of a large build's CPU (56 alternating pairs of builds), and the programs need no Swift run-time
/// libraries where they run. The static FoundationNetworking (which FlyingFox's proxy handler brings in) links with
/// libcurl: release builds need Debian's libcurl4-openssl-dev.
let releaseLinking: [LinkerSetting] = [
    .linkedLibrary("tcmalloc_minimal", .when(configuration: .release)),
    .unsafeFlags(["-static-stdlib"], .when(configuration: .release)),
]

/// The modules of release builds are compiled against the statically linked standard library and Foundation (see
/// `releaseLinking`).
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

/// Release builds of the pipeline leave out the run-time exclusivity checks on class properties and globals (each
/// access to one began and ended an access record: half a percent of a large build's CPU). Debug builds, which the
/// tests and the sanitizers use, keep them, so a conflicting access still stops the tests.
let releaseChecks: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
] + staticRuntime

/// macOS 15 at least: the renderer's memos are published through the standard library's `Atomic` (Synchronization).
let package = Package(
    name: "build-site",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "build-site", targets: ["build-site"]),
        .library(name: "SiteKit", targets: ["SiteKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(name: "CFileSwap"),
        // The memory cmark's trees are made in: one arena per document.
        .target(name: "CMarkArena"),
        // Live heap figures for the benchmark only.
        .target(name: "CHeapUsage"),
        // Memory made ready ahead of a one-shot build, in the cores' idle time.
        .target(name: "CPrefault"),
        .target(
            name: "SiteKit",
            dependencies: [
                "CCmark",
                "CFileSwap",
                "CMarkArena",
                "CPrefault",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: releaseChecks
        ),
        .target(
            name: "SiteServer",
            dependencies: [
                "SiteKit",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ],
            swiftSettings: staticRuntime
        ),
        .executableTarget(
            name: "build-site",
            dependencies: [
                "SiteKit",
                "SiteServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime,
            linkerSettings: releaseLinking
        ),
        .executableTarget(
            name: "site-bench",
            dependencies: [
                "SiteKit",
                "CHeapUsage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime,
            linkerSettings: releaseLinking
        ),
        .testTarget(name: "SiteKitTests", dependencies: ["SiteKit", "CMarkArena", "CPrefault"]),
        .testTarget(name: "SiteTests", dependencies: ["SiteKit"], exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["build-site", "site-bench"]),
        .testTarget(name: "ServerTests", dependencies: ["SiteServer", "SiteKit"]),
    ],
    swiftLanguageModes: [.v6]
)

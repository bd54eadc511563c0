// swift-tools-version:6.0
// The fuzz target, kept out of the main package because it is linked with libFuzzer (which brings its own main).
// Run it (every Swift module instrumented for coverage and checked by AddressSanitizer):
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address && mkdir -p corpus && cp seeds/* corpus/ \
//     && .build/release/fuzz-site -runs=1000000 -max_len=8192 -timeout=10 corpus
import PackageDescription

let package = Package(
    name: "build-site-fuzz",
    dependencies: [.package(name: "build-site", path: "..")],
    targets: [
        .executableTarget(
            name: "fuzz-site",
            dependencies: [.product(name: "SiteKit", package: "build-site")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])],
            // SiteKit's release build is compiled against the static standard library and Foundation (see the main
            // package): the fuzzer links them statically too.
            linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
        ),
    ]
)

// Top-level await in the package's browser entry needs an ES2022 build target; relative asset
// paths let the built page be served from any folder.
export default { base: "./", build: { target: "es2022" } };

# The optional OpenBLAS GEMM addon (see blas_gemm.c). Lives in native/, not at the package root: npm would
# otherwise run `node-gyp rebuild` as an implicit install script, which must not happen on machines without
# OpenBLAS. scripts/build-native.mjs finds OpenBLAS and passes its header and library directories as
# --openblas_include / --openblas_libdir.
{
  'variables': {
    'openblas_include%': '/usr/include',
    'openblas_libdir%': '/usr/lib',
  },
  'targets': [
    {
      'target_name': 'medrex_blas',
      'sources': ['blas_gemm.c'],
      'include_dirs': ['<(openblas_include)'],
      'defines': ['NAPI_VERSION=8'],
      'cflags': ['-std=c11', '-O2', '-Wall', '-Wextra'],
      # rpath: the addon finds the same libopenblas at run time that it was linked against, even outside the
      # linker's default directories.
      'libraries': ['-L<(openblas_libdir)', '-Wl,-rpath,<(openblas_libdir)', '-lopenblas'],
    },
  ],
}

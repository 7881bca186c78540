/**
 * `@fovea/geometry3d`: 3D vision: cameras and depth, voxels, implicit surfaces and marching cubes, point clouds (kNN, Chamfer, F1@t, PointNet), meshes and their losses, OBJ/PLY.
 *
 * @packageDocumentation
 */
export {};

/**
 * `@fovea/geometry3d`: 3D vision: cameras and depth, voxels, implicit surfaces and marching cubes, point clouds (kNN, Chamfer, F1@t, PointNet), meshes and their losses, OBJ/PLY.
 *
 * @packageDocumentation
 */

// point clouds
export type { LengthsInput } from './_internal/checks.js';
export { knnPoints, knnGather, type KnnPointsOptions, type KnnResult } from './pointcloud/knn-points.js';
export {
  chamferDistance,
  type ChamferDistanceOptions,
  type ChamferResult,
  type PointReduction,
  type BatchReduction,
} from './pointcloud/chamfer-distance.js';
export { fScore, type FScoreResult } from './pointcloud/f-score.js';
export { samplePointsFromMeshes, type SamplePointsOptions, type SampledPoints } from './pointcloud/sample-points-from-meshes.js';
export { sampleFarthestPoints, type SampleFarthestPointsOptions, type FarthestPointsResult } from './pointcloud/sample-farthest-points.js';
export { PointNet, type PointNetOptions } from './pointcloud/pointnet.js';

// depth and cameras
export {
  projectPoints,
  unprojectPoints,
  depthToPoints,
  PinholeCamera,
  type CameraIntrinsics,
  type PinholeCameraOptions,
} from './depth/pinhole-camera.js';
export { scaleInvariantDepthLoss, type ScaleInvariantDepthLossOptions } from './depth/scale-invariant-depth-loss.js';
export { depthToNormals, type DepthToNormalsOptions } from './depth/depth-to-normals.js';

// voxels
export { voxelIou, type VoxelIouOptions } from './voxels/voxel-iou.js';
export { cubify, type CubifyOptions, type CubifyAlign } from './voxels/cubify.js';
export { VoxNet, type VoxNetOptions } from './voxels/voxnet.js';

// implicit surfaces
export {
  marchingCubes,
  marchingCubesArrays,
  type MarchingCubesOptions,
  type MarchingCubesResult,
  type MeshArrays,
} from './implicit/marching-cubes.js';
export {
  OccupancyNetwork,
  occupancyGrid,
  type OccupancyNetworkOptions,
  type OccupancyGridOptions,
} from './implicit/occupancy-network.js';

// meshes
export { Meshes, type FacesInput } from './mesh/meshes.js';
export { icosphere, icosphereArrays } from './mesh/icosphere.js';
export { subdivideMeshes } from './mesh/subdivide-meshes.js';
export { faceNormals } from './mesh/face-normals.js';
export { faceAreas } from './mesh/face-areas.js';
export { vertexNormals } from './mesh/vertex-normals.js';
export { meshVolume } from './mesh/mesh-volume.js';
export { graphConv, GraphConv, type GraphConvWeights, type GraphConvOptions, type GraphConvModuleOptions } from './mesh/graph-conv.js';
export { meshEdgeLoss, type MeshEdgeLossOptions } from './mesh/mesh-edge-loss.js';
export {
  meshLaplacianSmoothing,
  type MeshLaplacianSmoothingOptions,
  type LaplacianMethod,
} from './mesh/mesh-laplacian-smoothing.js';
export { meshNormalConsistency } from './mesh/mesh-normal-consistency.js';
export { vertAlign, type VertAlignOptions } from './mesh/vert-align.js';
export {
  MeshRefinementStage,
  type MeshRefinementStageOptions,
  type MeshRefinementOutput,
} from './mesh/mesh-refinement-stage.js';

// OBJ / PLY
export { meshesFromData, meshDataFromMeshes, type MeshData } from './io/mesh-data.js';
export { parseObj, formatObj } from './io/obj.js';
export { parsePly, formatPly, type FormatPlyOptions } from './io/ply.js';
export { loadObj, saveObj, loadPly, savePly } from './io/files.js';
